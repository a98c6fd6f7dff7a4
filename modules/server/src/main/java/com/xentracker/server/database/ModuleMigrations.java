package com.xentracker.server.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Hands Flyway the SQL migrations of this module, read by the module itself.
 *
 * <p>Why not Flyway's own {@code classpath:} scanning: inside a named module, {@code db/migration} is a package of
 * {@code com.xentracker.server}, and a package's resources are encapsulated. Flyway (the automatic module
 * {@code flyway.core}) lists them and then reads each through {@code ClassLoader.getResourceAsStream}, which only
 * returns resources of packages that are opened <em>unconditionally</em>; a qualified {@code opens db.migration to
 * flyway.core} does not help, because the class loader does not know who is asking. Opening the package to everyone
 * would work but gives deep access to any module. Instead this provider lists the module's own content with its
 * {@link ModuleReader} and reads each file as this module, which is always allowed, and Flyway never touches the
 * module's resources itself.
 */
final class ModuleMigrations implements ResourceProvider {

    static final String LOCATION = "db/migration/";

    private final List<LoadableResource> resources;

    private ModuleMigrations(List<LoadableResource> resources) {
        this.resources = List.copyOf(resources);
    }

    /** Reads all {@code db/migration/*.sql} files of {@code module} now; they are small. */
    static ModuleMigrations of(Module module) {
        ResolvedModule resolved = module.getLayer().configuration().findModule(module.getName())
                .orElseThrow(() -> new IllegalStateException("module " + module.getName() + " is not resolved"));
        List<LoadableResource> found = new ArrayList<>();
        try (ModuleReader reader = resolved.reference().open(); Stream<String> names = reader.list()) {
            for (String name : names.filter(n -> n.startsWith(LOCATION) && n.endsWith(".sql")).sorted().toList()) {
                try (InputStream in = reader.open(name).orElseThrow()) {
                    found.add(new ModuleResource(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new FlywayException("cannot read the migrations of module " + module.getName(), e);
        }
        if (found.isEmpty()) {
            throw new FlywayException("module " + module.getName() + " has no migrations under " + LOCATION);
        }
        return new ModuleMigrations(found);
    }

    List<String> names() {
        return resources.stream().map(LoadableResource::getFilename).toList();
    }

    @Override
    public LoadableResource getResource(String name) {
        // Flyway's contract is to answer null for a missing resource
        return resources.stream()
                .filter(r -> r.getRelativePath().equals(name) || r.getAbsolutePath().equals(name))
                .findFirst().orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return resources.stream()
                .filter(r -> r.getFilename().startsWith(prefix))
                .filter(r -> Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith))
                .toList();
    }

    /** One migration file held in memory. */
    private static final class ModuleResource extends LoadableResource {
        private final String path;
        private final String content;

        ModuleResource(String path, String content) {
            this.path = path;
            this.content = content;
        }

        @Override
        public Reader read() {
            return new StringReader(content);
        }

        @Override
        public String getAbsolutePath() {
            return path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return path;
        }

        @Override
        public String getFilename() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public String getRelativePath() {
            // relative to the location, as Flyway's class path scanner reports it, so checksums and script names
            // in flyway_schema_history are the same whichever way the migrations were found
            return path.substring(LOCATION.length());
        }
    }
}
