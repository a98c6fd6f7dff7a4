package com.xentracker.collector.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * The real endpoint and tracker as a process, for the browser end-to-end test (extension/test/e2e.test.mjs).
 * Not a product entry point: the agent will start the endpoint itself once web spans are merged into its buffer.
 *
 * <p>Arguments: {@code --db FILE} (required), {@code --port N} (default 0 = any free port),
 * {@code --extension-id ID} (repeatable), {@code --full-urls}, {@code --titles}, {@code --exclude DOMAIN}
 * (repeatable), {@code --token TOKEN}. Prints {@code listening <port>} once bound. Then reads commands from
 * standard input, one a line: {@code dump} prints the stored web spans as one line of JSON; {@code quit} (or end of
 * input) stops.
 */
public final class EndpointHarness {

    private EndpointHarness() {}

    public static void main(String[] args) throws Exception {
        Path db = null;
        BrowserEndpointConfig config = BrowserEndpointConfig.defaults().with(BrowserEndpointConfig.PORT, "0");
        Set<String> ids = new HashSet<>();
        Set<String> excluded = new HashSet<>();
        boolean fullUrls = false;
        boolean titles = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = Path.of(args[++i]);
                case "--port" -> config = config.with(BrowserEndpointConfig.PORT, args[++i]);
                case "--extension-id" -> ids.add(args[++i]);
                case "--token" -> config = config.with(BrowserEndpointConfig.SHARED_TOKEN, args[++i]);
                case "--exclude" -> excluded.add(args[++i]);
                case "--full-urls" -> fullUrls = true;
                case "--titles" -> titles = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (db == null) {
            throw new IllegalArgumentException("--db FILE is required");
        }
        if (!ids.isEmpty()) {
            config = config.with(BrowserEndpointConfig.EXTENSION_IDS, String.join(",", ids));
        }
        WebPolicy policy = new WebPolicy(fullUrls, titles, excluded, false);
        ObjectMapper json = new ObjectMapper();
        try (WebSpanTracker tracker = WebSpanTracker.open(db, WebSpanTracker.DEFAULT_HEARTBEAT_INTERVAL,
                () -> policy);
                BrowserEndpoint endpoint = BrowserEndpoint.start(config, () -> policy, tracker,
                        Clock.systemUTC())) {
            System.out.println("listening " + endpoint.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.strip().equals("quit"); line = in.readLine()) {
                if (line.strip().equals("dump")) {
                    ArrayNode rows = json.createArrayNode();
                    for (WebSpan span : tracker.spans()) {
                        ObjectNode row = rows.addObject();
                        row.put("start", span.start().toString());
                        row.put("end", span.end().toString());
                        row.put("state", span.state().name());
                        row.put("browser", span.browserName());
                        row.put("browserVersion", span.browserVersion());
                        row.put("domain", span.domain());
                        row.put("url", span.url().orElse(null));
                        row.put("title", span.title().orElse(null));
                        row.put("audible", span.audible());
                        row.put("open", span.open());
                    }
                    System.out.println(json.writeValueAsString(rows));
                    System.out.flush();
                }
            }
        }
    }
}
