package cn.crb.domain.bulk;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipException;

/**
 * Inflates every entry of an XLSX once, discarding the bytes, and stops as soon as the real inflated total exceeds
 * the cap, or exceeds the ratio cap times the file size (above a 16 MiB floor, so that small, well-compressed
 * workbooks pass). What the zip directory claims is not trusted. On the same pass, {@link XlsxMarkupGuard} stops a
 * single cell, shared text, row or tag too large to be read into memory at once, a workbook whose shared texts,
 * formats, sheets, relationships and shared formulas, which the reader keeps for the whole sheet, would take more
 * memory than the cap, and a cell referring to a shared text the workbook does not have. Constant memory.
 */
final class ZipGuard {
    private static final long RATIO_FLOOR = 16L * 1024 * 1024;

    private ZipGuard() {}

    static void check(Path file, ReadLimits limits, Messages messages) throws BulkFileException, IOException {
        long size = Math.max(1, Files.size(file));
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        XlsxMarkupGuard.Held held = new XlsxMarkupGuard.Held(limits.maxXlsxHeldBytes());
        // the zip reader parses its whole central directory into objects when it opens, before any entry is counted:
        // a file of millions of directory records would fill the heap there
        if (centralHeaders(file) > MAX_CENTRAL_HEADERS) throw tooLarge(messages, messages.text("zip.entries", MAX_ENTRIES));
        // the zip reader fastexcel reads the workbook with (commons-compress, opened as it opens it): two readers may
        // find different central directories in one crafted file, and every check here would then be made on
        // entries fastexcel never reads
        try (ZipFile zip = openAsFastexcelDoes(file)) {
            int entries = 0;
            java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                if (++entries > MAX_ENTRIES) throw tooLarge(messages, messages.text("zip.entries", MAX_ENTRIES));
                // two entries of one name (fastexcel takes the first, matching names as equalsIgnoreCase does): a
                // workbook no writer makes, whose parts would depend on which one a reader takes
                if (!names.add(e.getName())) {
                    throw unreadable(messages, messages.text("zip.duplicate", e.getName()));
                }
                // every entry, whatever its name: fastexcel finds its parts through [Content_Types].xml and the
                // relationships, under any name (and its zip reader may take a name this one does not see); the
                // guard tells an XML part from an image or a binary by its first bytes
                XlsxMarkupGuard markup = XlsxMarkupGuard.forLimits(limits, held);
                try (InputStream in = zip.getInputStream(e)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > limits.maxXlsxInflatedBytes()) throw tooLarge(messages, messages.text("zip.inflated", limits.maxXlsxInflatedBytes()));
                        if (total > RATIO_FLOOR && total / size > limits.maxXlsxRatio()) {
                            throw tooLarge(messages, messages.text("zip.ratio", limits.maxXlsxRatio()));
                        }
                        markup.feed(buf, 0, n);
                    }
                }
            }
            if (entries == 0) throw unreadable(messages, messages.text("zip.notZip"));
            held.checkSharedIndex();
        } catch (XlsxMarkupGuard.TooLarge t) {
            if (t.what == XlsxMarkupGuard.TooLarge.What.HELD) {
                // not a matter of inflation: the clerk is told what to do instead
                throw new BulkFileException(ProblemCode.FILE_XLSX_TOO_LARGE, messages.text("xlsx.held", Math.max(1, t.cap / (1024 * 1024))), null);
            }
            if (t.what == XlsxMarkupGuard.TooLarge.What.SHARED_INDEX) {
                throw unreadable(messages, "?".equals(t.address) ? messages.text("xlsx.sharedIndexNotANumber", String.valueOf(t.row))
                        : messages.text("xlsx.sharedIndex", String.valueOf(t.row), t.address, t.cap));
            }
            throw tooLarge(messages, switch (t.what) {
                case CELL -> messages.text("zip.cell", String.valueOf(t.row), t.cap);
                case ROW -> messages.text("zip.row", String.valueOf(t.row), t.cap);
                case TEXT -> messages.text("zip.text", t.cap);
                case TAG -> messages.text("zip.tag", t.cap);
                case CELLS -> messages.text("zip.cells", String.valueOf(t.row), t.cap);
                case ADDRESS -> messages.text("zip.address", String.valueOf(t.row), t.address);
                case DECLARATION -> messages.text("zip.declaration");
                case ENCODING -> messages.text("zip.encoding");
                case HELD, SHARED_INDEX -> throw new IllegalStateException("handled above");
            });
        } catch (java.nio.file.FileSystemException e) {
            throw e; // the file itself cannot be read (gone, no permission): not a matter of its content
        } catch (IOException | RuntimeException e) {
            // a damaged archive: commons-compress wraps its own errors ("Error reading Zip content from <path>"), and a
            // few come as runtime exceptions (a size past any stream's boundary). No end record at all (a CSV or an
            // old .xls renamed, a file cut short) is told plainly; anything else with its innermost detail, no path
            String detail = innermostMessage(e);
            boolean noArchive = detail.contains("not a ZIP archive");
            throw unreadable(messages, noArchive ? messages.text("zip.notZip") : messages.text("file.technical", detail));
        }
    }

    /** Entries a workbook may have; the same bound in the directory records a file may hold (with room for chance matches). */
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_CENTRAL_HEADERS = 2 * MAX_ENTRIES;

    /** fastexcel opens its workbook with this (deprecated) constructor; the builder adds a check of its own. */
    @SuppressWarnings("deprecation")
    private static ZipFile openAsFastexcelDoes(Path file) throws IOException {
        return new ZipFile(file.toFile());
    }

    /**
     * How many central directory signatures ({@code PK\1\2}) the file holds, counted in one streaming pass: a bound
     * on the directory records any zip reader can parse from it, whatever its end record says (in compressed data
     * the four bytes come by chance about once in 4 GB).
     */
    static long centralHeaders(Path file) throws IOException {
        long count = 0;
        byte[] b = new byte[256 * 1024];
        int kept = 0; // the last bytes of the read before: a signature across two reads is counted once, in the second
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(b, kept, b.length - kept)) > 0) {
                int end = kept + n;
                for (int i = 0; i + 3 < end; i++) {
                    if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) count++;
                }
                kept = Math.min(3, end);
                System.arraycopy(b, end - kept, b, 0, kept);
            }
        }
        return count;
    }

    private static String innermostMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static BulkFileException tooLarge(Messages m, String what) {
        return new BulkFileException(ProblemCode.FILE_XLSX_TOO_LARGE, m.format(ProblemCode.FILE_XLSX_TOO_LARGE, what), null);
    }

    private static BulkFileException unreadable(Messages m, String what) {
        return new BulkFileException(ProblemCode.FILE_UNREADABLE, m.format(ProblemCode.FILE_UNREADABLE, what), null);
    }
}
