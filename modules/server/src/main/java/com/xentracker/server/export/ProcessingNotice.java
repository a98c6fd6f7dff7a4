package com.xentracker.server.export;

import com.xentracker.core.policy.CollectionPolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The access package's plain-language account of the processing (GDPR Art. 15 (1) a–h), written from the
 * organization's settings as they are when the package is made: what is collected follows its collection policy,
 * the retention periods are its own, the recipients are its accounts by role.
 *
 * @param owners       the e-mail addresses of the organization's active owners: whom to contact
 * @param accountsByRole how many active accounts each role has (recipients inside the organization)
 */
record ProcessingNotice(String organization, ZoneId zone, CollectionPolicy policy, int spanDays, int rollupMonths,
        int auditDays, List<String> owners, Map<String, Integer> accountsByRole, UUID person, Instant madeAt) {

    String text() {
        StringBuilder text = new StringBuilder();
        line(text, "Your data in Xentracker at " + organization);
        line(text, "=".repeat(Math.min(80, 28 + organization.length())));
        line(text, "");
        line(text, "This package answers a request to see the data kept about you (Article 15 of the General Data "
                + "Protection Regulation). It was made on " + madeAt + " (UTC) for the person with the id " + person
                + ". Times in the CSV files are in the organization's time zone, " + zone.getId()
                + ", with their offset from UTC.");
        line(text, "");
        line(text, "Who is responsible");
        line(text, "------------------");
        line(text, organization + " decided to use Xentracker on the devices it manages and is the controller of "
                + "this data. Ask your questions, or make a request about your data, to the organization"
                + (owners.isEmpty() ? "." : ": its Xentracker owners are " + String.join(", ", owners) + "."));
        line(text, "");
        line(text, "Why the data is processed");
        line(text, "-------------------------");
        line(text, "To show the organization how its devices, applications and web sites are used: time spent per "
                + "application, site and category, reports by person and group, the state of its devices, and "
                + "a record of who looked at the data. It is not sold, and it is not given to anyone outside the "
                + "organization.");
        line(text, "");
        line(text, "What is collected");
        line(text, "-----------------");
        bullet(text, "Which application was in the foreground (its name and program file), from when to when, and "
                + "whether you were active, idle (no input for " + minutes(policy) + ") or the screen was locked.");
        bullet(text, policy.collectWindowTitles()
                ? "Window titles (the organization's policy collects them" + (policy.titleRedactions().isEmpty() ? ""
                        : "; some are shortened or removed by its rules") + ")."
                : "No window titles: the organization's policy does not collect them.");
        bullet(text, policy.collectFullUrls()
                ? "In the browser with the Xentracker extension: the full web address (URL) of the active tab."
                : "In the browser with the Xentracker extension: only the web site's domain, never the full address.");
        bullet(text, "The device: its name, operating system, the login name used on it, and the agent's version.");
        if (!policy.excludedApplications().isEmpty() || !policy.excludedDomains().isEmpty()) {
            bullet(text, "Applications and sites the organization excluded are recorded only as \"excluded\" time, "
                    + "without their names.");
        }
        policy.workingHours().ifPresent(hours -> bullet(text,
                "Nothing is collected outside the organization's working hours."));
        if (policy.privateTimeAllowed()) {
            bullet(text, "You may pause collection; a pause is recorded only as \"paused\" time.");
        }
        bullet(text, "Never collected: keystrokes, typed text, passwords, form contents, screenshots, or activity "
                + "inside applications and web pages.");
        line(text, "");
        line(text, "Where it comes from");
        line(text, "-------------------");
        line(text, "From the Xentracker agent on the devices listed in devices.csv, which sends it encrypted to the "
                + "organization's Xentracker server over HTTPS, and, where installed, from the Xentracker browser "
                + "extension, which only talks to the agent on the same device (over the loopback connection) and "
                + "sends nothing itself.");
        line(text, "");
        line(text, "Who can see it");
        line(text, "--------------");
        line(text, "Only accounts of " + organization + " at its Xentracker server, each after signing in: "
                + roles() + ". Owners, administrators and auditors can see individuals; viewers see totals of the "
                + "groups they are given, and individuals only where an owner allowed it. Where the organization turned "
                + "self-service on, a person given a self-service account sees their own data and no one else's. "
                + "Every look at or export of "
                + "personal data is recorded; accesses.csv lists those that concern you.");
        line(text, "");
        line(text, "How long it is kept");
        line(text, "-------------------");
        bullet(text, "Individual activity records (spans.csv): " + spanDays + " days.");
        bullet(text, "Daily totals (rollups.csv): " + rollupMonths + " months.");
        bullet(text, "The record of who did what (the audit log): " + auditDays + " days.");
        line(text, "");
        line(text, "Your rights");
        line(text, "-----------");
        line(text, "You may ask the organization to correct wrong data, to erase data, to restrict or object to its "
                + "processing, and you may complain to a data protection supervisory authority.");
        line(text, "");
        line(text, "The files in this package");
        line(text, "-------------------------");
        bullet(text, "person.csv: you as the organization's directory knows you; groups.csv: your groups.");
        bullet(text, "devices.csv: the devices your activity was recorded on.");
        bullet(text, "spans.csv: every activity record kept about you; rollups.csv: your daily totals.");
        bullet(text, "accesses.csv: who viewed or exported data about you and when (from the audit log), including "
                + "exports of the whole organization, which contained your data too.");
        bullet(text, "manifest.csv: each file's size and SHA-256, to check that nothing was changed.");
        return text.toString();
    }

    private String roles() {
        return String.join(", ", List.of(
                accountsByRole.getOrDefault("OWNER", 0) + " owner(s)",
                accountsByRole.getOrDefault("ADMIN", 0) + " administrator(s)",
                accountsByRole.getOrDefault("AUDITOR", 0) + " auditor(s)",
                accountsByRole.getOrDefault("VIEWER", 0) + " viewer(s)"));
    }

    private static String minutes(CollectionPolicy policy) {
        long seconds = policy.idleThreshold().toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minute(s)" : seconds + " seconds";
    }

    private static void bullet(StringBuilder text, String line) {
        line(text, "- " + line);
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append("\r\n");
    }
}
