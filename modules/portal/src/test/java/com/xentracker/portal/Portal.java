package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client for the portal of a running server, trusting exactly the server's CA, following no redirects.
 * Cookies are handled by hand, as a browser would send them, so tests see and choose every cookie.
 */
final class Portal {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final URI base;
    private final HttpClient client;

    Portal(URI base, X509Certificate certificateAuthority) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(trusting(certificateAuthority))
                .build();
    }

    private static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("xentracker-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET with the given cookies ({@code name=value}). */
    HttpResponse<String> get(String path, String... cookies) {
        return send(request(path, cookies).GET());
    }

    /** GET with extra headers (an API token), the body as the bytes received (a download). */
    HttpResponse<byte[]> download(String path, Map<String, String> headers, String... cookies) {
        HttpRequest.Builder request = request(path, cookies).GET();
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST of an urlencoded form, with the given cookies ({@code name=value}). */
    HttpResponse<String> post(String path, Map<String, String> form, String... cookies) {
        return post(path, List.copyOf(form.entrySet()), cookies);
    }

    /** POST of an urlencoded form whose fields may repeat (rows of a table), in this order. */
    HttpResponse<String> post(String path, List<Map.Entry<String, String>> form, String... cookies) {
        String body = form.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path, cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The sign-in form: its login cookie ({@code name=value}) and the CSRF token in the form. */
    LoginForm openLoginForm() {
        HttpResponse<String> response = get("/login");
        assertThat(response.statusCode()).isEqualTo(200);
        SetCookie cookie = setCookie(response, "xt_login").orElseThrow();
        return new LoginForm(cookie.pair(), csrfIn(response.body()));
    }

    /** Posts the sign-in form with the given credentials. */
    HttpResponse<String> submitLogin(String email, String password) {
        LoginForm form = openLoginForm();
        return post("/login", Map.of("email", email, "password", password, "csrf", form.csrf()), form.cookie());
    }

    /** Signs in as a known account; returns the session cookie as {@code xt_session=<token>}. */
    String signIn(String email, String password) {
        HttpResponse<String> response = submitLogin(email, password);
        assertThat(response.statusCode()).isEqualTo(303);
        return setCookie(response, "xt_session").orElseThrow().pair();
    }

    static String csrfIn(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a csrf field in %s", html).isTrue();
        return matcher.group(1);
    }

    static Optional<SetCookie> setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .map(SetCookie::parse)
                .filter(cookie -> cookie.name().equals(name))
                .findFirst();
    }

    private HttpRequest.Builder request(String path, String... cookies) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (cookies.length > 0) {
            builder.header("Cookie", String.join("; ", cookies));
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record LoginForm(String cookie, String csrf) {
    }

    /** One Set-Cookie header: name, value and attributes (names lower-cased; flags map to ""). */
    record SetCookie(String name, String value, Map<String, String> attributes) {

        static SetCookie parse(String header) {
            String[] parts = header.split(";");
            String[] pair = parts[0].split("=", 2);
            Map<String, String> attributes = new LinkedHashMap<>();
            Arrays.stream(parts).skip(1).map(String::strip).forEach(part -> {
                String[] attribute = part.split("=", 2);
                attributes.put(attribute[0].toLowerCase(Locale.ROOT), attribute.length > 1 ? attribute[1] : "");
            });
            return new SetCookie(pair[0].strip(), pair.length > 1 ? pair[1] : "", attributes);
        }

        String pair() {
            return name + "=" + value;
        }

        /** Whether this header tells the browser to drop the cookie (Jetty writes an Expires in 1970 for Max-Age=0). */
        boolean deletes() {
            return value.isEmpty() && ("0".equals(attributes.get("max-age"))
                    || attributes.getOrDefault("expires", "").contains("1970"));
        }
    }
}
