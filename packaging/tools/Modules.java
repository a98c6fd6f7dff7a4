import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * What packaging/build needs to know about a set of jars, in one JVM (a JVM per jar took minutes on a busy machine):
 *
 * <pre>
 * java packaging/tools/Modules.java list JAR...          name, "explicit" or "automatic", file; one per line
 * java packaging/tools/Modules.java jdk-modules JAR...   the JDK modules they need, comma-separated
 * </pre>
 *
 * JDK modules: what explicit modules require (not {@code requires static}), and for automatic modules, which declare
 * nothing, what jdeps finds in their classes (jdeps, run in this JVM). jdeps alone under-reports for explicit modules
 * (it misses modules that are required transitively or used as services), hence the descriptors first.
 */
public final class Modules {

    public static void main(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: list|jdk-modules JAR...");
        }
        List<ModuleReference> modules = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            modules.addAll(ModuleFinder.of(Path.of(args[i])).findAll());
        }
        switch (args[0]) {
            case "list" -> modules.forEach(module -> System.out.println(module.descriptor().name() + "\t"
                    + (module.descriptor().isAutomatic() ? "automatic" : "explicit") + "\t"
                    + Path.of(module.location().orElseThrow())));
            case "jdk-modules" -> System.out.println(String.join(",", jdkModules(modules)));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static Set<String> jdkModules(List<ModuleReference> modules) {
        Set<String> jdk = new TreeSet<>();
        List<String> automatic = new ArrayList<>();
        for (ModuleReference module : modules) {
            ModuleDescriptor descriptor = module.descriptor();
            if (descriptor.isAutomatic()) {
                automatic.add(Path.of(module.location().orElseThrow()).toString());
                continue;
            }
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) && isJdk(requires.name())) {
                    jdk.add(requires.name());
                }
            }
        }
        if (!automatic.isEmpty()) {
            List<String> jdepsArgs = new ArrayList<>(List.of("--multi-release", "17", "--print-module-deps",
                    "--ignore-missing-deps"));
            jdepsArgs.addAll(automatic);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(err),
                    jdepsArgs.toArray(String[]::new));
            if (code != 0) {
                throw new IllegalStateException("jdeps failed: " + err);
            }
            String[] lines = out.toString().strip().split("\\R");
            for (String name : lines[lines.length - 1].split(",")) {
                if (isJdk(name.strip())) {
                    jdk.add(name.strip());
                }
            }
        }
        return jdk;
    }

    private static boolean isJdk(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.");
    }
}
