package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Drives the portal the way a browser does: login form, CSRF token, session cookie. */
record PortalBrowser(URI base, HttpClient http) {

    /** Signs in and returns the session cookie's value. */
    String signIn(String email, String password) throws Exception {
        HttpResponse<String> form = get("/login");
        assertThat(form.statusCode()).isEqualTo(200);
        String loginToken = cookie(form, "xt_login");
        String body = "email=" + encode(email) + "&password=" + encode(password) + "&csrf=" + encode(loginToken);
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(base.resolve("/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", "xt_login=" + loginToken)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/overview"));
        return cookie(signedIn, "xt_session");
    }

    /** A signed-in page's body; the page must answer 200. */
    String page(String path, String session) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve(path))
                        .header("Cookie", "xt_session=" + session)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("GET %s", path).isEqualTo(200);
        return page.body();
    }

    String dashboard(String session) throws Exception {
        return page("/overview", session);
    }

    /** POSTs an urlencoded form with the session cookie; the answer as it comes (no redirect followed). */
    HttpResponse<String> post(String path, String session, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", "xt_session=" + session)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .map(header -> header.substring(name.length() + 1).split(";", 2)[0])
                .filter(value -> !value.isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
