package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebModule;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.Pem;
import com.xentracker.server.spi.WebRoutes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpsTest {

    /** A front end like the portal: one page, and a look at what the server hands it. */
    static final class HelloModule implements WebModule {
        final AtomicReference<ServerServices> services = new AtomicReference<>();

        @Override
        public String name() {
            return "hello";
        }

        @Override
        public void routes(WebRoutes routes, ServerServices services) {
            this.services.set(services);
            routes.get("/hello", ctx -> ctx.result("hello from a web module"));
        }
    }

    static final HelloModule hello = new HelloModule();

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"), List.of(hello));

    @Test
    void healthSaysUpOverPinnedTls() {
        Https.Response response = server.https().get("/api/v1/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.text()).isEqualTo("{\"status\":\"up\"}");
    }

    @Test
    void webModulesAreConfiguredBeforeStartAndServed() {
        Https.Response response = server.https().get("/hello");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello from a web module");
        assertThat(hello.services.get().clock()).isSameAs(server.clock());
        assertThat(hello.services.get()).isSameAs(server.server().services());
    }

    @Test
    void plainHttpIsNeverAnswered() {
        URI plain = URI.create("http://127.0.0.1:" + server.server().port() + "/api/v1/health");
        Integer status;
        try {
            status = Https.plainHttpStatus(plain);
        } catch (IOException refused) {
            status = null;
        }

        // Jetty's TLS connector either drops the connection or answers 400; never the resource
        assertThat(status).isIn(null, 400);
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaCannotConnect() {
        assertThatThrownBy(() -> {
            HttpsURLConnection connection = (HttpsURLConnection) server.server().baseUri()
                    .resolve("/api/v1/health").toURL().openConnection();
            connection.getResponseCode();
        }).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theCaFileHoldsTheCertificateThatIssuedTheServers() throws IOException {
        String pem = Files.readString(server.server().certificateAuthorityFile(), StandardCharsets.UTF_8);

        assertThat(Pem.certificate(pem)).isEqualTo(server.server().certificateAuthority());
        assertThat(server.server().baseUri()).hasScheme("https").hasHost("127.0.0.1")
                .hasPort(server.server().port());
    }

    @Test
    void errorsUnderApiAreJsonWithAStableCode() {
        Https.Response response = server.https().post("/api/v1/enroll", "application/json",
                "not json".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.text()).contains("\"code\":\"malformed-message\"");
    }
}
