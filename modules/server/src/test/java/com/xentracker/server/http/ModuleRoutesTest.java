package com.xentracker.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A web module gets GET and POST on paths of its own, nothing else: the routes facade refuses, at start-up, a module
 * that reaches for the server's API, health or metrics endpoints, a catch-all, or a path another module took.
 */
class ModuleRoutesTest {

    /** Builds a Javalin configuration (never started) with the server's own routes claimed, as HttpApi does. */
    private static void configure(java.util.function.BiConsumer<ModuleRoutes, ModuleRoutes> modules) {
        Set<String> taken = new HashSet<>(Set.of("GET " + HttpApi.HEALTHZ,
                "GET " + com.xentracker.server.metrics.MetricsEndpoint.PATH));
        AtomicReference<Handler> notFound = new AtomicReference<>();
        Javalin.create(config -> modules.accept(new ModuleRoutes("first", config.routes, taken, notFound),
                new ModuleRoutes("second", config.routes, taken, notFound)));
    }

    @Test
    void aModuleCannotTakeThePathsTheServerServes() {
        for (String path : List.of("/api", "/api/v1/enroll", "/API/v1/devices/{id}/batches/{n}", "/healthz",
                "/readyz", "/metrics", "/Metrics")) {
            assertThatThrownBy(() -> configure((first, second) -> first.get(path, ctx -> { })))
                    .as(path).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to the server");
        }
    }

    @Test
    void onlyOneModuleSetsThePageForUnknownPaths() {
        assertThatThrownBy(() -> configure((first, second) -> {
            first.notFound(ctx -> { });
            second.notFound(ctx -> { });
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("second");
    }

    @Test
    void aModuleCannotAddCatchAllsOrOddPaths() {
        for (String path : List.of("/*", "/pages/*", "/<rest>", "/a/../api", "relative", "/a//b", "", "/x?y=1")) {
            assertThatThrownBy(() -> configure((first, second) -> first.post(path, ctx -> { })))
                    .as(path).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain path");
        }
    }

    @Test
    void twoModulesCannotTakeTheSamePath() {
        assertThatThrownBy(() -> configure((first, second) -> {
            first.get("/reports", ctx -> { });
            second.get("/Reports", ctx -> { });
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("second")
                .hasMessageContaining("taken already");
    }

    @Test
    void plainPathsWithParametersAreAccepted() {
        configure((first, second) -> {
            first.get("/", ctx -> { }).get("/people/{person-id}", ctx -> { }).post("/people/{person-id}/delete",
                    ctx -> { });
            // the same path with another method, and another module's own paths
            first.post("/", ctx -> { });
            second.get("/groups", ctx -> { });
        });
        assertThat(true).as("no module was refused").isTrue();
    }
}
