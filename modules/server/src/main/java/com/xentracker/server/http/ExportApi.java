package com.xentracker.server.http;

import com.xentracker.server.NotFoundException;
import com.xentracker.server.NotSignedInException;
import com.xentracker.server.access.Actor;
import com.xentracker.server.apitoken.ApiTokens;
import com.xentracker.server.export.Dataset;
import com.xentracker.server.export.ExportFilter;
import com.xentracker.server.export.ExportRequest;
import com.xentracker.server.export.Exports;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * {@code GET /api/v1/exports/<dataset>.csv}: the CSV exports for scripts, with a personal API token
 * ({@code Authorization: Bearer xtk_...}) and the filters as query parameters (see {@link ExportFilter#parse}), plus
 * {@code bom=true} for Excel. A portal session cookie opens nothing here: only a token does, and a token opens
 * nothing else.
 */
final class ExportApi {

    static final String EXPORTS = "/api/v1/exports/{file}";
    private static final String SUFFIX = ".csv";

    private final Exports exports;
    private final ApiTokens tokens;

    private ExportApi(Exports exports, ApiTokens tokens) {
        this.exports = exports;
        this.tokens = tokens;
    }

    static ExportApi of(Exports exports, ApiTokens tokens) {
        return new ExportApi(exports, tokens);
    }

    void export(Context ctx) {
        Actor actor = bearer(ctx);
        String file = ctx.pathParam("file");
        Dataset dataset = Optional.of(file)
                .filter(name -> name.endsWith(SUFFIX))
                .flatMap(name -> Dataset.named(name.substring(0, name.length() - SUFFIX.length())))
                .orElseThrow(() -> new NotFoundException("export " + file));
        ExportFilter filter = ExportFilter.parse(ctx::queryParam);
        boolean bom = "true".equalsIgnoreCase(ctx.queryParam("bom"));
        exports.export(actor, new ExportRequest(dataset, filter, bom), (fileName, contentType) -> {
            // the raw servlet stream: what the server hashes is exactly what goes on the wire (no compression)
            HttpServletResponse response = ctx.res();
            response.setStatus(200);
            response.setContentType(contentType);
            response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            return response.getOutputStream();
        });
    }

    /** The account behind the request's API token; 401 without a live one. */
    private Actor bearer(Context ctx) {
        String header = ctx.header("Authorization");
        Optional<Actor> actor = Optional.ofNullable(header)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .flatMap(tokens::resolve);
        if (actor.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"xentracker\"");
            throw new NotSignedInException();
        }
        return actor.get();
    }
}
