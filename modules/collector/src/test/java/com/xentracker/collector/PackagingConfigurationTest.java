package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.ConfigLayers.LayeredConfig;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The installers' configuration in {@code packaging/}, checked where no Windows or Mac can check it here: the MSI's
 * WiX source, the macOS profile, LaunchAgent and Jamf script, the Debian package's system file and maintainer script
 * are well-formed and name only keys the agent reads ({@link AgentConfig#KEYS}), so that an installer never writes a
 * setting the agent would refuse (an unknown key stops it) or ignore.
 */
class PackagingConfigurationTest {

    private static final Path PACKAGING = Path.of(System.getProperty("xt.project.root", "../.."))
            .toAbsolutePath().normalize().resolve("packaging");

    @TempDir
    Path dir;

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // plists name Apple's DTD: never fetched (no network in a test, no external entities anywhere)
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(file.toFile());
    }

    private static List<Element> elements(Document document, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    @Test
    void theMsiWritesOnlyKeysTheAgentReadsFromPropertiesItDeclaresAndHidesTheToken() throws Exception {
        Document wix = xml(PACKAGING.resolve("windows/xentracker-agent.wxs"));

        Set<String> properties = new TreeSet<>();
        elements(wix, "Property").forEach(property -> properties.add(property.getAttribute("Id")));
        List<Element> iniFiles = elements(wix, "IniFile");
        assertThat(iniFiles).isNotEmpty();
        Map<String, String> written = new LinkedHashMap<>();
        for (Element ini : iniFiles) {
            assertThat(ini.getAttribute("Name")).isEqualTo("agent.conf");
            assertThat(ini.getAttribute("Directory")).isEqualTo("XentrackerConfig");
            // the section line Windows writes is one the agent skips
            assertThat("[" + ini.getAttribute("Section") + "]").matches("\\[[^\\]]*\\]");
            Matcher value = Pattern.compile("\\[([A-Z_]+)]").matcher(ini.getAttribute("Value"));
            assertThat(value.matches()).as(ini.getAttribute("Value")).isTrue();
            assertThat(properties).contains(value.group(1));
            written.put(ini.getAttribute("Key"), value.group(1));
        }
        assertThat(AgentConfig.KEYS).containsAll(written.keySet());
        assertThat(written).containsEntry("server-url", "SERVER_URL").containsEntry("enrollment-token",
                "ENROLLMENT_TOKEN").containsEntry("server-ca", "SERVER_CA");
        Element token = elements(wix, "Property").stream().filter(p -> p.getAttribute("Id").equals("ENROLLMENT_TOKEN"))
                .findFirst().orElseThrow();
        assertThat(token.getAttribute("Hidden")).isEqualTo("yes");
        assertThat(elements(wix, "Property").stream().filter(p -> p.getAttribute("Id").equals("MsiHiddenProperties"))
                .map(p -> p.getAttribute("Value"))).containsExactly("ENROLLMENT_TOKEN");
        // the system file's folder is %ProgramData%\Xentracker, where ConfigLayers looks on Windows
        Element config = elements(wix, "Directory").stream().filter(d -> d.getAttribute("Id").equals("XentrackerConfig"))
                .findFirst().orElseThrow();
        assertThat(config.getAttribute("Name")).isEqualTo("Xentracker");
        assertThat(((Element) config.getParentNode()).getAttribute("Id")).isEqualTo("CommonAppDataFolder");
        assertThat(elements(wix, "RegistryValue")).anySatisfy(run -> assertThat(run.getAttribute("Value"))
                .isEqualTo("\"[INSTALLDIR]xentracker-agent.exe\" run"));
    }

    @Test
    void whatTheMsiWritesIsAFileTheAgentLoads() throws Exception {
        // what Windows' WritePrivateProfileString makes of the MSI's IniFile entries
        Path system = Files.writeString(dir.resolve("agent.conf"), "[agent]\r\nserver-url=https://tracker.example.com"
                + "\r\nenrollment-token=0123456789abcdef\r\nserver-ca=MIIBszCCAVmgAwIBAgIU\r\n");

        LayeredConfig loaded = new ConfigLayers(Optional.empty(), Optional.of(system), Map.of())
                .load(Optional.empty(), Map.of());

        assertThat(loaded.config().enrollment().complete()).isTrue();
        assertThat(loaded.origin("server-ca")).isEqualTo(system.toString());
    }

    @Test
    void theMacProfileLaunchAgentAndJamfScriptNameOnlyKeysTheAgentReads() throws Exception {
        Document profile = xml(PACKAGING.resolve("macos/xentracker-agent.mobileconfig"));
        Element settings = payload(profile, "com.xentracker.agent");
        Set<String> keys = new TreeSet<>();
        for (Node node = settings.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element key && key.getTagName().equals("key") && !key.getTextContent().startsWith("Payload")) {
                keys.add(key.getTextContent());
            }
        }
        assertThat(keys).isNotEmpty();
        assertThat(AgentConfig.KEYS).containsAll(keys);

        String jamf = Files.readString(PACKAGING.resolve("macos/scripts/jamf-configure.sh"), StandardCharsets.UTF_8);
        Set<String> read = matches(jamf, "managed ([a-z-]+)\\)");
        Set<String> written = matches(jamf, "echo \"([a-z-]+) = ");
        assertThat(read).containsExactlyInAnyOrderElementsOf(written).containsAll(keys);
        assertThat(AgentConfig.KEYS).containsAll(written);

        Document launchAgent = xml(PACKAGING.resolve("macos/com.xentracker.agent.plist"));
        List<String> arguments = new ArrayList<>();
        NodeList strings = elements(launchAgent, "array").get(0).getElementsByTagName("string");
        for (int i = 0; i < strings.getLength(); i++) {
            arguments.add(strings.item(i).getTextContent());
        }
        // the app bundle jpackage names after --name in build.sh
        String build = Files.readString(PACKAGING.resolve("macos/build.sh"));
        assertThat(build).contains("--name \"Xentracker Agent\"");
        assertThat(arguments).containsExactly("/Applications/Xentracker Agent.app/Contents/MacOS/Xentracker Agent", "run");
        String postinstall = Files.readString(PACKAGING.resolve("macos/scripts/postinstall"));
        assertThat(postinstall).contains("# @JAMF_CONFIGURE@").contains("# @LAUNCH_AGENT@");
        assertThat(build).contains("@JAMF_CONFIGURE@").contains("@LAUNCH_AGENT@");
        // the browsers' profiles the build puts beside the package exist (the extension's tests check them)
        for (Matcher m = Pattern.compile("extension/policy/[a-z]+/[a-z.]+").matcher(build
                + Files.readString(PACKAGING.resolve("windows/build.ps1")).replace('\\', '/')); m.find(); ) {
            assertThat(PACKAGING.resolveSibling(m.group())).as(m.group()).exists();
        }
    }

    @Test
    void theDebianSystemFileAndPostinstNameOnlyKeysTheAgentReadsAndTheFileLoads() throws Exception {
        String template = Files.readString(PACKAGING.resolve("linux/agent.conf"), StandardCharsets.UTF_8);
        // as a postinst fills it in: every commented setting switched on
        String filled = template.replaceAll("(?m)^#(server-url|server-ca-file|enrollment-token-file) = .*$",
                "$1 = x").replace("server-url = x", "server-url = https://tracker.example.com:8443");
        Properties properties = new Properties();
        properties.load(new StringReader(filled));
        assertThat(AgentConfig.KEYS).containsAll(properties.stringPropertyNames());
        Path system = Files.writeString(dir.resolve("agent.conf"), filled);
        AgentConfig config = new ConfigLayers(Optional.empty(), Optional.of(system), Map.of())
                .load(Optional.empty(), Map.of()).config();
        assertThat(config.enrollment().complete()).isTrue();
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/xentracker-agent", System.getProperty("user.name")));

        String postinst = Files.readString(PACKAGING.resolve("deb/agent/postinst"), StandardCharsets.UTF_8);
        Set<String> set = matches(postinst, "set_key ([a-z-]+) ");
        assertThat(set).containsExactlyInAnyOrder("server-url", "server-ca-file", "enrollment-token-file");
        assertThat(AgentConfig.KEYS).containsAll(set);
        // the variables an administrator may give at install time are the ones the agent reads at run time
        Set<String> variables = matches(postinst, "(XT_AGENT_[A-Z_]+)");
        assertThat(variables).isNotEmpty().allSatisfy(variable -> assertThat(AgentConfig.KEYS)
                .contains(variable.substring(ConfigLayers.ENVIRONMENT_PREFIX.length()).toLowerCase().replace('_', '-')));
        assertThat(Files.readString(PACKAGING.resolve("linux/xentracker-agent.desktop")))
                .contains("Exec=/opt/xentracker-agent/bin/xentracker-agent run");
    }

    private static Element payload(Document profile, String type) {
        for (Element dict : elements(profile, "dict")) {
            for (Node node = dict.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element key && key.getTagName().equals("key")
                        && key.getTextContent().equals("PayloadType")) {
                    Node value = key.getNextSibling();
                    while (value != null && !(value instanceof Element)) {
                        value = value.getNextSibling();
                    }
                    if (value != null && value.getTextContent().equals(type)) {
                        return dict;
                    }
                }
            }
        }
        throw new AssertionError("no payload of type " + type);
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
