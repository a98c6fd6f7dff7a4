package com.xentracker.server.device;

import com.xentracker.server.access.Actor;
import java.util.List;
import java.util.UUID;

/**
 * The acting account's organization's enrolled devices. Each call is checked against the account's role and
 * audit-logged by the server; an id of another organization behaves as unknown.
 */
public interface Devices {

    /** The devices, revoked ones included, by host name, with what each agent last reported about itself. */
    List<DeviceSummary> list(Actor actor);

    /**
     * The devices as {@link #list} gives them, with the organization's time zone and silent-after period, in one use
     * case (one audit entry). A device is silent when it is not revoked and nothing has been heard of it (no
     * enrollment, batch or heartbeat) for the silent-after period, by the server's clock.
     */
    DeviceOverview overview(Actor actor);

    /**
     * Revokes a device: its uploads are refused from now on (the agent stops and says why); its data stays. It can
     * enroll again only as a new device, with a new key and a token. Revoking again changes nothing.
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     */
    void revoke(Actor actor, UUID deviceId);

    /**
     * Deletes a device and everything it sent: spans, gaps, rollups, its ledger and mappings. Its enrollment is gone,
     * so its uploads are refused as coming from an unknown device; its key can never enroll again.
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     */
    void delete(Actor actor, UUID deviceId);
}
