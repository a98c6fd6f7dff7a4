package com.xentracker.portal.devices;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.device.DeviceOverview;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /devices}: the signed-in account's organization's devices and what each agent last reported about
 * itself, so that a device that records nothing (a Wayland session, a missing permission) is seen, with the reason;
 * how much it still has to send (its backlog), whether it has gone silent (no contact for the organization's
 * silent-after hours), and what is known to be lost (gaps its agent recorded, batches missing from its sequence).
 * The server audit-logs every view: host names and OS user names are personal data.
 *
 * <p>{@code GET /devices/revoke?device=ID} and {@code GET /devices/delete?device=ID} ask to confirm, saying what will
 * happen; their forms {@code POST} to the same paths (with the CSRF token), which revoke or delete the device. The
 * server checks the role (owners and administrators) and that the device is the organization's (another's is not
 * found), and audit-logs each; the portal shows the links only to the roles the server would let act.
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
        routes.get(PortalPaths.DEVICES_REVOKE, ctx -> devices.confirm(ctx, false));
        routes.post(PortalPaths.DEVICES_REVOKE, ctx -> devices.act(ctx, false));
        routes.get(PortalPaths.DEVICES_DELETE, ctx -> devices.confirm(ctx, true));
        routes.post(PortalPaths.DEVICES_DELETE, ctx -> devices.act(ctx, true));
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // The server reads the actor's own organization only, checks the role and audit-logs the view.
        DeviceOverview overview = this.devices.overview(signedIn.get().actor());
        Instant now = clock.instant();
        Actor actor = signedIn.get().actor();
        Pages.render(ctx, HttpStatus.OK, "devices.jte", new DevicesPage(
                signedIn.get().frame("Devices", Section.DEVICES),
                overview.zone().getId(), DeviceText.silentAfter(overview.silentAfter()),
                overview.devices().stream().map(device -> row(device, now, overview.zone())).toList(),
                actor.may(Action.REVOKE_DEVICE), actor.may(Action.DELETE_DEVICE)));
    }

    /** The confirmation step: what revoking (or deleting) this device does, and the form that does it. */
    private void confirm(Context ctx, boolean delete) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = deviceId(ctx.queryParam("device"));
        // Read through the audited device list: the server shows the actor's own organization's devices only.
        DeviceOverview overview = this.devices.overview(signedIn.get().actor());
        DeviceSummary device = overview.devices().stream()
                .filter(candidate -> candidate.id().equals(id)).findFirst()
                .orElseThrow(() -> PortalException.notFound("The organization has no such device."));
        String title = (delete ? "Delete " : "Revoke ") + device.hostname() + "?";
        Pages.render(ctx, HttpStatus.OK, "device-confirm.jte", new ConfirmPage(
                signedIn.get().frame(title, Section.DEVICES), delete,
                delete ? PortalPaths.DEVICES_DELETE : PortalPaths.DEVICES_REVOKE, id.toString(), device.hostname(),
                device.osUser(), device.operatingSystem(), DeviceText.exact(device.enrolledAt(), overview.zone()),
                device.revoked(),
                signedIn.get().csrfToken()));
    }

    private void act(Context ctx, boolean delete) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID id = deviceId(ctx.formParam("deviceId"));
        // The server checks the role, that the device is the organization's, and audit-logs it.
        if (delete) {
            devices.delete(signedIn.get().actor(), id);
        } else {
            devices.revoke(signedIn.get().actor(), id);
        }
        Pages.redirect(ctx, PortalPaths.DEVICES);
    }

    private static UUID deviceId(String value) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Choose a device.");
        }
    }

    private static DevicesPage.Row row(DeviceSummary device, Instant now, ZoneId zone) {
        return new DevicesPage.Row(device.id().toString(), device.hostname(), device.osUser(), device.operatingSystem(),
                device.agentVersion(), device.captureState().name(), DeviceText.captureState(device.captureState()),
                DeviceText.tone(device.captureState()).cssClass(), device.captureDetail(),
                DeviceText.policy(device.policyVersion()),
                device.clockSkew().map(DeviceText::clock).orElse("—"),
                device.clockSkew().filter(DeviceText::clockIsOff).isPresent() ? DeviceText.Tone.NOT_RECORDING.cssClass()
                        : DeviceText.Tone.NEUTRAL.cssClass(),
                when(DeviceText.day(device.enrolledAt(), zone), device.enrolledAt(), zone),
                when(DeviceText.ago(device.lastSeen(), now), device.lastSeen(), zone),
                device.revoked(), device.silent(),
                device.backlog().map(backlog -> Long.toString(backlog.unsentSpans())).orElse(""),
                DeviceText.backlog(device.backlog()), DeviceText.backlogDetail(device.backlog(), now, zone),
                DeviceText.backlogTone(device.backlog(), now).cssClass(),
                DeviceText.losses(device.losses()), DeviceText.lossesDetail(device.losses(), zone),
                !device.losses().isNone());
    }

    private static DevicesPage.When when(String text, Instant instant, ZoneId zone) {
        return new DevicesPage.When(text, DeviceText.machine(instant), DeviceText.exact(instant, zone));
    }
}
