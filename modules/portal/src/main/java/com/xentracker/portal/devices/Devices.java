package com.xentracker.portal.devices;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /devices}: the signed-in account's organization's devices and what each agent last reported about
 * itself, so that a device that records nothing (a Wayland session, a missing permission) is seen, with the reason.
 * The server audit-logs every view: host names and OS user names are personal data.
 */
public final class Devices {

    private final com.xentracker.server.device.Devices devices;
    private final Clock clock;
    private final PortalSessions sessions;

    private Devices(com.xentracker.server.device.Devices devices, Clock clock, PortalSessions sessions) {
        this.devices = devices;
        this.clock = clock;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        Devices devices = new Devices(services.devices(), services.clock(), sessions);
        routes.get(PortalPaths.DEVICES, devices::show);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // The server reads the actor's own organization only, checks the role and audit-logs the view.
        List<DeviceSummary> devices = this.devices.list(signedIn.get().actor());
        Instant now = clock.instant();
        Pages.render(ctx, HttpStatus.OK, "devices.jte", new DevicesPage(
                signedIn.get().frame("Devices", Section.DEVICES),
                "UTC",
                devices.stream().map(device -> row(device, now)).toList()));
    }

    private static DevicesPage.Row row(DeviceSummary device, Instant now) {
        return new DevicesPage.Row(device.hostname(), device.osUser(), device.operatingSystem(),
                device.agentVersion(), device.captureState().name(), DeviceText.captureState(device.captureState()),
                DeviceText.tone(device.captureState()).cssClass(), device.captureDetail(),
                DeviceText.policy(device.policyVersion()),
                device.clockSkew().map(DeviceText::clock).orElse("—"),
                device.clockSkew().filter(DeviceText::clockIsOff).isPresent() ? DeviceText.Tone.NOT_RECORDING.cssClass()
                        : DeviceText.Tone.NEUTRAL.cssClass(),
                when(DeviceText.day(device.enrolledAt()), device.enrolledAt()),
                when(DeviceText.ago(device.lastSeen(), now), device.lastSeen()),
                device.revoked());
    }

    private static DevicesPage.When when(String text, Instant instant) {
        return new DevicesPage.When(text, DeviceText.machine(instant), DeviceText.exact(instant));
    }
}
