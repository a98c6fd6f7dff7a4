package com.xentracker.portal.page;

import io.javalin.http.HttpStatus;

/**
 * The portal's one exception family: a request the portal refuses. Handled by {@link Pages} with an error page in
 * the given status; the message is shown to the user, so it never contains secrets or personal data.
 */
public final class PortalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    private PortalException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** 403: for example a form posted without the right CSRF token. */
    public static PortalException forbidden(String message) {
        return new PortalException(HttpStatus.FORBIDDEN, message);
    }

    /** 400: a parameter the portal does not understand. */
    public static PortalException badRequest(String message) {
        return new PortalException(HttpStatus.BAD_REQUEST, message);
    }

    /** 404: the organization has nothing of the kind with this id (as the server answers for another's). */
    public static PortalException notFound(String message) {
        return new PortalException(HttpStatus.NOT_FOUND, message);
    }

    public HttpStatus status() {
        return status;
    }
}
