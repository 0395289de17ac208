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
        long fileSize = Files.size(file);
        if (fileSize > limits.maxFileBytes()) { // also for the sheet names, listed before the import reads the file
            throw new BulkFileException(ProblemCode.FILE_TOO_LARGE, messages.format(ProblemCode.FILE_TOO_LARGE, fileSize, limits.maxFileBytes()), null);
        }
        long size = Math.max(1, fileSize);
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        XlsxMarkupGuard.Held held = new XlsxMarkupGuard.Held(limits.maxXlsxHeldBytes());
        try {
            // the zip reader parses its whole central directory into objects when it opens (each record's extra
            // fields too), and then each entry's local extra fields: both are bounded before it opens the file
            Directory d = directory(file);
            if (d.records() > MAX_CENTRAL_HEADERS) throw tooLarge(messages, messages.text("zip.entries", MAX_ENTRIES));
            if (d.extraBytes() > MAX_EXTRA_BYTES) throw unreadable(messages, messages.text("zip.extra", MAX_EXTRA_BYTES));
            if (d.extraWork() > MAX_EXTRA_WORK) throw unreadable(messages, messages.text("zip.extra", MAX_RECORD_EXTRA));
            if (d.nameBytes() > MAX_NAME_BYTES || d.commentBytes() > MAX_COMMENT_BYTES) {
                throw unreadable(messages, messages.text("zip.names", MAX_NAME_BYTES, MAX_COMMENT_BYTES));
            }
            checkLocalHeaders(file, messages);
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(messages, e);
        }
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
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(messages, e);
        }
    }

    /** Entries a workbook may have; the same bound in the directory records a file may hold (with room for chance matches). */
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_CENTRAL_HEADERS = 2 * MAX_ENTRIES;
    /**
     * The extra fields of the directory's records together, and of the entries' local headers together: the reader
     * makes an object of each field (about 60 bytes of heap for 4 bytes of file). Excel writes none or a few dozen
     * bytes per entry.
     */
    private static final int MAX_EXTRA_BYTES = 1024 * 1024;
    /**
     * The extra fields of one record or local header: the reader merges a record's fields one by one, each time
     * looking through those it has (quadratic in their number). Info-ZIP's and ZIP64's fields take at most about 60.
     */
    private static final int MAX_RECORD_EXTRA = 4096;
    /**
     * For the directory's records, found by their signature anywhere in the file: the merging work, the sum of the
     * squares of each record's number of fields (extra bytes / 4). One record of 4 KB of fields is 1,048,576; a chance
     * {@code PK\1\2} in compressed data or an image announces up to 64 KB (about 2.7e8), so three of them still pass,
     * where the largest record alone would have refused about 0.2 % of 10 MB workbooks.
     */
    private static final long MAX_EXTRA_WORK = 1_000_000_000L;
    /** The names and the comments of the directory's records together: the reader keeps each as bytes and a string. */
    private static final int MAX_NAME_BYTES = 4 * 1024 * 1024;
    private static final int MAX_COMMENT_BYTES = 1024 * 1024;

    /**
     * A damaged archive, whatever the reader threw: commons-compress wraps its own errors ("Error reading Zip content
     * from <path>"), and a few come as IllegalArgumentException (a size past any stream's boundary). No end record at
     * all (a CSV or an old .xls renamed, a file cut short) is told plainly; anything else with its innermost detail,
     * never the path. A file the system cannot read (gone, no permission) fails as that, not as damage.
     */
    private static BulkFileException damaged(Messages messages, Exception e) throws IOException {
        if (e instanceof java.nio.file.FileSystemException fs) throw fs;
        String detail = innermostMessage(e);
        boolean noArchive = detail.contains("not a ZIP archive");
        return new BulkFileException(ProblemCode.FILE_UNREADABLE, messages.format(ProblemCode.FILE_UNREADABLE,
                noArchive ? messages.text("zip.notZip") : messages.text("file.technical", detail)), e);
    }

    /**
     * What the pass over the raw bytes found: central directory signatures, and the extra-field, name and comment
     * bytes they announce (together, and the largest extra of one).
     */
    record Directory(long records, long extraBytes, long extraWork, long nameBytes, long commentBytes) {}

    /**
     * Counts the central directory signatures ({@code PK\1\2}) in one streaming pass, a bound on the directory records
     * any zip reader can parse from the file whatever its end record says (in compressed data the four bytes come by
     * chance about once in 4 GB), and adds up the name, extra-field and comment lengths they announce (2 bytes each
     * at +28, +30 and +32).
     */
    static Directory directory(Path file) throws IOException {
        long count = 0, extra = 0, extraWork = 0, names = 0, comments = 0;
        byte[] b = new byte[256 * 1024];
        int kept = 0; // the last bytes of the read before: a record's fixed part across two reads is read in the second
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.read(b, kept, b.length - kept);
                boolean last = n <= 0;
                int end = kept + Math.max(0, n);
                // a signature is taken once its fixed part (32 bytes) is in the buffer, or at the end of the file
                int limit = last ? end - 3 : end - RECORD_FIXED;
                int i = 0;
                for (; i < limit; i++) {
                    if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) {
                        count++;
                        if (i + 33 < end) {
                            int e = (b[i + 30] & 0xFF) | (b[i + 31] & 0xFF) << 8;
                            extra += e;
                            extraWork += (long) (e / 4) * (e / 4);
                            names += (b[i + 28] & 0xFF) | (b[i + 29] & 0xFF) << 8;
                            comments += (b[i + 32] & 0xFF) | (b[i + 33] & 0xFF) << 8;
                        }
                    }
                }
                if (last) break;
                kept = end - Math.max(i, 0);
                System.arraycopy(b, end - kept, b, 0, kept);
            }
        }
        return new Directory(count, extra, extraWork, names, comments);
    }

    /** A record's bytes up to its comment length (+32, +33): what must be in the buffer before it is read. */
    private static final int RECORD_FIXED = 34;

    /**
     * Each entry's local header, as the directory places it: no two entries may share one (the reader parses an
     * entry's local extra fields for every record that points at it), and their extra fields together are bounded.
     * Read from the directory alone (the reader told to leave the local headers).
     */
    @SuppressWarnings("deprecation")
    private static void checkLocalHeaders(Path file, Messages messages) throws IOException, BulkFileException {
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        long extra = 0;
        try (ZipFile directoryOnly = new ZipFile(file.toFile(), "UTF8", true, true);
             java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer field = java.nio.ByteBuffer.allocate(2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (Enumeration<ZipArchiveEntry> en = directoryOnly.getEntries(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                long offset = e.getLocalHeaderOffset();
                if (!offsets.add(offset)) throw unreadable(messages, messages.text("zip.sharedHeader", e.getName()));
                field.clear();
                int local = ch.read(field, offset + 28) == 2 ? field.getShort(0) & 0xFFFF : 0;
                if (local > MAX_RECORD_EXTRA) throw unreadable(messages, messages.text("zip.extra", MAX_RECORD_EXTRA));
                extra += local;
                if (extra > MAX_EXTRA_BYTES) throw unreadable(messages, messages.text("zip.extra", MAX_EXTRA_BYTES));
            }
        }
    }

    /** fastexcel opens its workbook with this (deprecated) constructor; the builder adds a check of its own. */
    @SuppressWarnings("deprecation")
    private static ZipFile openAsFastexcelDoes(Path file) throws IOException {
        return new ZipFile(file.toFile());
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
