package cn.crb.domain.bulk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The evidence files chosen with a bulk file: a folder or a zip, listed once by name. A row's {@code evidence} is a
 * plain file name (or a relative path inside the folder or zip, with {@code /}); names that climb out ({@code ..})
 * or are absolute are never found.
 */
public interface EvidenceSource {
    boolean contains(String name);

    /** No evidence chosen: every named evidence file is missing. */
    static EvidenceSource none() { return name -> false; }

    /** The regular files under a folder (recursively), by path relative to it. */
    static EvidenceSource folder(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        return of(names);
    }

    /** The file entries of a zip, by their path inside it. */
    static EvidenceSource zip(Path zip) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory()) names.add(entry.getName());
            }
        }
        return of(names);
    }

    private static EvidenceSource of(Set<String> names) {
        Set<String> copy = Set.copyOf(names);
        return name -> {
            String n = name.strip().replace('\\', '/');
            return !n.startsWith("/") && !n.contains("..") && copy.contains(n);
        };
    }
}
