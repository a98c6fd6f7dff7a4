package com.xentracker.portal.page;

/** Model of {@code error.jte}. */
public record ErrorPage(Frame frame, int status, String message) {
}
