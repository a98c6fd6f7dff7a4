package com.xentracker.collector.browser;

import java.util.List;

/**
 * Receives the events of one accepted request, in the order the extension sent them, already filtered by the
 * organization's {@link WebPolicy}. Called on the endpoint's single thread, so calls never overlap; a listener that
 * throws makes the endpoint answer 500 and the extension retry the request later.
 */
@FunctionalInterface
public interface BrowserActivityListener {

    void accept(List<BrowserActivity> activities);
}
