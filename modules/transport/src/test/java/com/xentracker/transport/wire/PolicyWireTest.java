package com.xentracker.transport.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.core.policy.WorkingHours.Interval;
import com.xentracker.transport.MalformedMessageException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The organization's collection policy in enrollment responses and upload receipts. */
class PolicyWireTest {

    private static final UUID DEVICE = UUID.fromString("0b6f4c3e-52a1-4c4e-9d51-6a3c1f0e2d7b");
    private static final UUID ORGANIZATION = UUID.fromString("5d1c2b8e-6f1a-4a8e-9a55-0c2d7e3f4b1a");
    private static final CollectionPolicy STRICT = new CollectionPolicy(3, true,
            List.of(RedactionRule.of("\\S+@\\S+", "[email]"), RedactionRule.of("(Invoice) \\d+", "$1 #")),
            Set.of("keepassxc", "signal"),
            Optional.of(WorkingHours.of(ZoneId.of("Europe/Berlin"), Map.of(
                    DayOfWeek.MONDAY, List.of(Interval.of(LocalTime.of(8, 0), LocalTime.of(12, 0)),
                            Interval.of(LocalTime.of(13, 0), LocalTime.of(17, 30))),
                    DayOfWeek.FRIDAY, List.of(Interval.of(LocalTime.of(8, 0), LocalTime.of(14, 0, 30)))))),
            true, Duration.ofMinutes(5), true, false).withExcludedDomains(Set.of("health.example", "bank.example"));

    private final WireCodec codec = WireCodec.create();

    private static String receiptJson(String policyJson) {
        return "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":4,\"acceptedSpans\":2,\"duplicate\":false"
                + (policyJson == null ? "" : ",\"policy\":" + policyJson) + "}";
    }

    private static String policyJson(String workingHours, String idleThreshold, String redactionPattern) {
        return "{\"version\":3,\"collectWindowTitles\":true,\"titleRedactions\":[{\"pattern\":\"" + redactionPattern
                + "\",\"replacement\":\"x\"}],\"excludedApplications\":[\"keepassxc\"],"
                + (workingHours == null ? "" : "\"workingHours\":" + workingHours + ",")
                + "\"privateTimeAllowed\":false,\"idleThreshold\":\"" + idleThreshold + "\","
                + "\"audibleKeepsActive\":false,\"collectFullUrls\":false}";
    }

    private UploadReceipt decodeReceipt(String json) {
        return codec.decode(json.getBytes(UTF_8), UploadReceipt.class);
    }

    @Test
    void aFullPolicyRoundTripsInAnEnrollmentResponseAndAReceipt() {
        EnrollmentResponse enrolled = new EnrollmentResponse(DEVICE, ORGANIZATION, "Acme", "pem", STRICT);
        UploadReceipt receipt = new UploadReceipt(DEVICE, 4, 2, false, STRICT);

        assertThat(codec.decode(codec.encode(enrolled), EnrollmentResponse.class)).isEqualTo(enrolled);
        assertThat(codec.decode(codec.encode(receipt), UploadReceipt.class)).isEqualTo(receipt);
    }

    @Test
    void theDefaultPolicyRoundTripsAndTheOldConstructorsCarryIt() {
        assertThat(new UploadReceipt(DEVICE, 1, 0, false).policy()).isEqualTo(CollectionPolicy.defaults());
        assertThat(new EnrollmentResponse(DEVICE, ORGANIZATION, "Acme", "pem").policy())
                .isEqualTo(CollectionPolicy.defaults());
        assertThat(codec.decode(codec.encode(CollectionPolicy.defaults()), CollectionPolicy.class))
                .isEqualTo(CollectionPolicy.defaults());
    }

    @Test
    void aPolicyHasAPlainJsonShape() {
        String json = new String(codec.encode(STRICT), UTF_8);

        assertThat(json).isEqualTo("{\"version\":3,\"collectWindowTitles\":true,\"titleRedactions\":["
                + "{\"pattern\":\"\\\\S+@\\\\S+\",\"replacement\":\"[email]\"},"
                + "{\"pattern\":\"(Invoice) \\\\d+\",\"replacement\":\"$1 #\"}],"
                + "\"excludedApplications\":[\"keepassxc\",\"signal\"],"
                + "\"workingHours\":{\"zone\":\"Europe/Berlin\",\"days\":{"
                + "\"MONDAY\":[{\"start\":\"08:00\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"17:30\"}],"
                + "\"FRIDAY\":[{\"start\":\"08:00\",\"end\":\"14:00:30\"}]}},"
                + "\"privateTimeAllowed\":true,\"idleThreshold\":\"PT5M\",\"audibleKeepsActive\":true,"
                + "\"collectFullUrls\":false,\"excludedDomains\":[\"bank.example\",\"health.example\"]}");
    }

    @Test
    void aPolicyFromAServerThatPredatesExcludedDomainsExcludesNone() {
        UploadReceipt receipt = decodeReceipt(receiptJson(policyJson(null, "PT3M", "a")));

        assertThat(receipt.policy().excludedDomains()).isEmpty();
        assertThat(receipt.policy().excludedApplications()).containsExactly("keepassxc");
    }

    @Test
    void withoutWorkingHoursTheFieldIsOmittedAndReadsAsNoSchedule() {
        String json = new String(codec.encode(CollectionPolicy.defaults()), UTF_8);

        assertThat(json).doesNotContain("workingHours").contains("\"idleThreshold\":\"PT3M\"");
        assertThat(decodeReceipt(receiptJson(policyJson("null", "PT3M", "a"))).policy().workingHours()).isEmpty();
    }

    @Test
    void aReceiptFromAServerThatPredatesPoliciesReadsAsTheDefaultVersionZero() {
        UploadReceipt receipt = decodeReceipt(receiptJson(null));

        assertThat(receipt).isEqualTo(new UploadReceipt(DEVICE, 4, 2, false, CollectionPolicy.defaults()));
        assertThat(receipt.policy().version()).isZero();
    }

    @Test
    void anEnrollmentResponseFromAServerThatPredatesPoliciesReadsAsTheDefault() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"organizationId\":\"" + ORGANIZATION + "\","
                + "\"organizationName\":\"Acme\",\"organizationCertificatePem\":\"pem\"}";

        assertThat(codec.decode(json.getBytes(UTF_8), EnrollmentResponse.class).policy())
                .isEqualTo(CollectionPolicy.defaults());
    }

    @Test
    void anExplicitNullPolicyIsRejected() {
        assertThatThrownBy(() -> decodeReceipt(receiptJson("null")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("policy");
    }

    @Test
    void invalidPoliciesAreRejectedWithMessagesNamingTheProblem() {
        String week = "{\"zone\":\"Europe/Berlin\",\"days\":{\"MONDAY\":[{\"start\":\"09:00\",\"end\":\"17:00\"}]}}";
        Map<String, String> expectations = Map.of(
                policyJson(null, "three minutes", "a"), "'idleThreshold' is not an ISO-8601 duration",
                policyJson(null, "PT0S", "a"), "idle threshold must be positive",
                policyJson(null, "PT3M", "(unclosed"), "not a valid regular expression",
                policyJson(week.replace("Europe/Berlin", "Mars/Olympus"), "PT3M", "a"), "not a time-zone id",
                policyJson(week.replace("MONDAY", "MONTAG"), "PT3M", "a"), "MONDAY … SUNDAY",
                policyJson(week.replace("09:00", "9 am"), "PT3M", "a"), "'start' is not a time of day",
                policyJson(week.replace("17:00", "08:00"), "PT3M", "a"), "must start before it ends",
                policyJson(null, "PT3M", "a").replace("\"version\":3", "\"version\":-1"), "must not be negative",
                policyJson(null, "PT3M", "a").replace("\"collectFullUrls\":false", "\"other\":1"), "collectFullUrls",
                policyJson(null, "PT3M", "a").replace("[\"keepassxc\"]", "[null]"), "excludedApplications");

        expectations.forEach((policy, message) -> assertThatThrownBy(() -> decodeReceipt(receiptJson(policy)))
                .as(policy)
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("UploadReceipt")
                .hasMessageContaining(message));
    }

    @Test
    void repeatedExcludedApplicationsAreHarmless() {
        String json = policyJson(null, "PT3M", "a").replace("[\"keepassxc\"]", "[\"keepassxc\",\"keepassxc\"]");

        assertThat(decodeReceipt(receiptJson(json)).policy().excludedApplications()).containsExactly("keepassxc");
    }
}
