package cn.crb.app.cli;

import cn.crb.app.bulk.BulkService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.domain.bulk.BulkFileException;
import cn.crb.domain.bulk.EvidenceSource;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.ImportSummary;
import cn.crb.domain.bulk.Problem;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.TextEncoding;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.domain.json.Json;
import cn.crb.localdb.BulkImportService;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkJobState;
import cn.crb.sync.HttpTransport;
import com.fasterxml.jackson.core.JsonGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code crb import}: reads a clerk's CSV or XLSX file, checks every row against the standards in force, stores the
 * valid rows (masked, digested, encrypted) queued for {@code crb submit}, writes a JSON report and, on request, the
 * rejected rows in the file's own format and encoding. Exit 0 when the import is stored (rows may have been rejected
 * in partial mode: see the report), 1 when nothing was queued because of problems in the file (all-or-nothing with a
 * bad row, a header without a required column, or every row rejected, which is most often a file read in the wrong
 * encoding: try {@code --encoding}), 2 for any other failure (nothing stored, except when the report or the rejects
 * cannot be written after the rows were stored: the message then names the stored job). Where the report and the
 * rejects go is checked before anything is read, so that an impossible path stores nothing.
 */
@Command(name = "import", description = "Import a bulk file (CSV or XLSX): check every row, store and queue the valid ones, report the problems.")
final class ImportCommand implements java.util.concurrent.Callable<Integer> {
    /** Exit status when the file was read but nothing was queued because of its problems. */
    static final int EXIT_NOTHING_QUEUED = 1;

    @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
    @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
    @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
    @Option(names = "--file", required = true, description = "The CSV (comma or tab) or XLSX file.") Path file;
    @Option(names = "--sheet", description = "XLSX: the sheet to read (default: the first).") String sheet;
    @Option(names = "--encoding", description = "CSV: UTF-8, UTF-8-BOM, GBK (= GB18030), UTF-16LE or UTF-16BE (default: detected).") String encoding;
    @Option(names = "--mode", description = "partial (default: valid rows are queued, bad rows reported) or all-or-nothing (any bad row stops the batch).")
    String mode;
    @Option(names = "--all-or-nothing", description = "Same as --mode all-or-nothing.") boolean allOrNothing;
    @Option(names = "--evidence", description = "The evidence folder or zip that the rows' evidence column names files in.") Path evidence;
    @Option(names = "--report", required = true, description = "Where to write the JSON report.") Path report;
    @Option(names = "--rejects", description = "Where to write the rejected rows (same format and encoding, with an errors column).") Path rejects;
    @Option(names = "--lang", defaultValue = "zh", description = "Language of the problem messages: zh (default) or en.") String lang;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImportMode importMode = mode(mode, allOrNothing);
        Locale locale = locale(lang);
        ReadOptions options = ReadOptions.DEFAULT.withEncoding(encoding(encoding)).withSheet(sheet);
        if (!Files.isRegularFile(file)) throw new CliException("no file " + file);
        writable(report, "--report");
        if (rejects != null) writable(rejects, "--rejects");
        EvidenceSource ev = evidence(evidence);
        char[] pass = PassphraseSource.read(passphraseFile);
        try (HttpTransport http = ProfileCommand.transport(home)) {
            ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
            ProfileSummary p = ProfileCommand.choose(service, profile);
            pass = PassphraseSource.matching(service, p.id(), pass, passphraseFile); // a file read as an older version read it
            if (p.institution() == null || !p.roles().contains("CLERK")) {
                throw new CliException("profile " + p.id() + " (" + p.displayName() + ") is not a clerk of a training institution");
            }
            try (ProfileSession session = service.unlock(p.id(), pass)) {
                Passphrases.wipe(pass);
                BulkService bulk = new BulkService(session, service, http, Clock.systemUTC());
                BulkImportService.ImportOutcome o = bulk.importFile(file, options, ev, importMode, locale, ImportProgress.NONE, () -> false);
                PrintWriter out = spec.commandLine().getOut();
                if (o.alreadyImported()) {
                    writeReport(bulk, o.job(), null, true);
                    out.println("already imported as job " + o.job().id() + " (" + o.job().state() + "): the same file (SM3 "
                            + o.job().fileSm3().substring(0, 12) + "…) is not read or queued again");
                    out.println("report:    " + report);
                    return 0;
                }
                BulkJob job = o.job();
                ImportSummary s = o.summary();
                long rejectsWritten = -1;
                try {
                    writeReport(bulk, job, s, false);
                    if (rejects != null) rejectsWritten = writeRejects(bulk, job.id(), locale);
                } catch (IOException | RuntimeException e) {
                    // the rows are stored (and queued, unless blocked): saying "nothing stored" would have the clerk import again
                    throw new CliException("the file was imported as job " + job.id() + " (" + job.state() + ", " + job.batchRows()
                            + " rows queued for submission), but " + (e instanceof java.nio.file.NoSuchFileException ? "a folder is missing: " : "")
                            + "the report or the rejects could not be written: " + e.getMessage()
                            + "; the rows stay stored (importing the same file again stores nothing twice)", e);
                }
                print(out, job, s, rejectsWritten);
                return job.state() == BulkJobState.BLOCKED ? EXIT_NOTHING_QUEUED : 0;
            }
        } catch (ProfileException e) {
            throw new CliException(ProfileCommand.message(e, locale), e);
        } catch (BulkFileException e) {
            throw new CliException(file.getFileName() + ": " + e.getMessage() + " [" + e.code() + "]; nothing was stored", e);
        } catch (BulkService.NoStandardsException e) {
            throw new CliException("no standards version is held yet, so rows cannot be checked: run crb sync first", e);
        } catch (IOException e) {
            throw new CliException("cannot read or write a file: " + e.getMessage(), e);
        } finally {
            Passphrases.wipe(pass);
        }
    }

    /** Why nothing was queued and what to do; a file read in the wrong encoding is named as the likely cause. */
    private static String blockedHint(ImportSummary s) {
        String encoding = "; if the file was read in the wrong encoding, import it again with --encoding";
        if (s.garbledHeader()) return "the header could not be read" + encoding;
        if (!s.headerUsable()) return "add the missing columns to the header and import again";
        if (s.everyRowRejected()) return "every row was rejected" + encoding;
        return "fix the rejected rows and import again";
    }

    private void print(PrintWriter out, BulkJob job, ImportSummary s, long rejectsWritten) {
        long inFile = s.problemCounts().getOrDefault(ProblemCode.DUPLICATE_ROW, 0L);
        out.println("imported " + job.fileName() + " as job " + job.id() + ": " + s.rows() + " rows read, " + s.accepted() + " accepted, "
                + s.rejected() + " rejected, " + (inFile + job.skippedRows()) + " duplicates; " + job.batchRows() + " queued for submission");
        out.println("file:      " + job.format() + (s.encoding() == null ? "" : ", " + s.encoding().displayName())
                + (s.delimiter() == null ? "" : ", " + (s.delimiter() == '\t' ? "tab" : "'" + s.delimiter() + "'") + "-separated")
                + ", SM3 " + job.fileSm3());
        out.println("mode:      " + modeName(ImportMode.valueOf(job.mode())) + " → " + job.state()
                + (job.state() != BulkJobState.BLOCKED ? "" : " (nothing queued: " + blockedHint(s) + ")"));
        out.println("duplicates: " + inFile + " within the file, " + job.skippedRows() + " already imported or submitted earlier");
        Map<String, Long> codes = new TreeMap<>();
        s.headerProblems().forEach(p -> codes.merge(p.code().name(), 1L, Long::sum));
        s.problemCounts().forEach((c, n) -> codes.merge(c.name(), n, Long::sum));
        out.println("problems:  " + (codes.isEmpty() ? "none" : String.join(", ", codes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())));
        out.println("report:    " + report);
        if (rejectsWritten >= 0) out.println("rejects:   " + rejectsWritten + " rows written to " + rejects);
    }

    /** The report: {file, encoding, rowsRead, accepted, rejected, duplicates, errors: [...]} and a few more facts. Streamed. */
    private void writeReport(BulkService bulk, BulkJob job, ImportSummary s, boolean already) throws IOException {
        Path tmp = sibling(report, ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); JsonGenerator g = Json.mapper().getFactory().createGenerator(os)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("file", file.toString());
                g.writeStringField("format", job.format());
                String enc = s == null ? (job.encoding() == null ? null : TextEncoding.valueOf(job.encoding()).displayName())
                        : (s.encoding() == null ? null : s.encoding().displayName());
                if (enc == null) g.writeNullField("encoding"); else g.writeStringField("encoding", enc);
                g.writeStringField("sm3", job.fileSm3());
                g.writeStringField("mode", modeName(ImportMode.valueOf(job.mode())));
                g.writeBooleanField("alreadyImported", already);
                g.writeNumberField("job", job.id());
                g.writeStringField("state", job.state().name());
                long inFile = s == null ? 0 : s.problemCounts().getOrDefault(ProblemCode.DUPLICATE_ROW, 0L);
                g.writeNumberField("rowsRead", s == null ? 0 : s.rows());
                g.writeNumberField("accepted", s == null ? 0 : s.accepted());
                g.writeNumberField("rejected", s == null ? 0 : s.rejected());
                g.writeNumberField("duplicates", s == null ? 0 : inFile + job.skippedRows());
                g.writeNumberField("duplicatesInFile", inFile);
                g.writeNumberField("alreadyStored", s == null ? 0 : job.skippedRows());
                g.writeNumberField("queued", s == null ? 0 : job.batchRows());
                g.writeArrayFieldStart("errors");
                if (s != null) {
                    int page = 5_000;
                    for (int off = 0; ; off += page) {
                        List<Problem> ps = bulk.problems(job.id(), off, page);
                        for (Problem p : ps) {
                            g.writeStartObject();
                            g.writeNumberField("row", p.row());
                            g.writeStringField("column", p.column());
                            g.writeNumberField("columnNumber", p.columnNumber());
                            g.writeStringField("code", p.code().name());
                            g.writeStringField("message", p.message());
                            g.writeEndObject();
                        }
                        if (ps.size() < page) break;
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            Files.move(tmp, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp); // gone after a move; left only by a failed one
        }
    }

    /** The export writes beside the target and moves into place itself, removing what it wrote when it fails (full IDs). */
    private long writeRejects(BulkService bulk, long jobId, Locale locale) throws IOException {
        return bulk.exportRejects(jobId, rejects.toAbsolutePath(), locale);
    }

    /** Refuses, before anything is read or stored, an output whose folder does not exist or cannot be written. */
    private static void writable(Path out, String option) {
        Path dir = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out)) throw new CliException(option + " " + out + " is a folder; give a file name");
        if (dir == null || !Files.isDirectory(dir)) throw new CliException(option + ": no folder " + dir + "; nothing was read or stored");
        if (!Files.isWritable(dir)) throw new CliException(option + ": cannot write in " + dir + "; nothing was read or stored");
    }

    private static Path sibling(Path p, String suffix) {
        Path abs = p.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + suffix);
    }

    static String modeName(ImportMode m) {
        return m == ImportMode.ALL_OR_NOTHING ? "all-or-nothing" : "partial";
    }

    static ImportMode mode(String mode, boolean allOrNothing) {
        if (mode == null) return allOrNothing ? ImportMode.ALL_OR_NOTHING : ImportMode.PARTIAL;
        ImportMode m = switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "partial" -> ImportMode.PARTIAL;
            case "all-or-nothing", "all_or_nothing" -> ImportMode.ALL_OR_NOTHING;
            default -> throw new CliException("unknown --mode " + mode + ": use partial or all-or-nothing");
        };
        if (allOrNothing && m != ImportMode.ALL_OR_NOTHING) throw new CliException("--all-or-nothing contradicts --mode " + mode);
        return m;
    }

    static TextEncoding encoding(String name) {
        if (name == null) return null;
        return switch (name.strip().toUpperCase(Locale.ROOT).replace('_', '-')) {
            case "UTF-8", "UTF8" -> TextEncoding.UTF_8;
            case "UTF-8-BOM", "UTF8-BOM" -> TextEncoding.UTF_8_BOM;
            case "GBK", "GB18030", "GB2312", "CP936" -> TextEncoding.GB18030;
            case "UTF-16LE", "UTF-16LE-BOM" -> TextEncoding.UTF_16LE_BOM;
            case "UTF-16BE", "UTF-16BE-BOM" -> TextEncoding.UTF_16BE_BOM;
            default -> throw new CliException("unknown --encoding " + name + ": use UTF-8, UTF-8-BOM, GBK, GB18030, UTF-16LE or UTF-16BE");
        };
    }

    static Locale locale(String lang) {
        return switch (lang.strip().toLowerCase(Locale.ROOT)) {
            case "zh", "zh-cn", "zh_cn" -> Locale.SIMPLIFIED_CHINESE;
            case "en" -> Locale.ENGLISH;
            default -> throw new CliException("unknown --lang " + lang + ": use zh or en");
        };
    }

    private static EvidenceSource evidence(Path p) {
        if (p == null) return EvidenceSource.none();
        try {
            if (Files.isDirectory(p)) return EvidenceSource.folder(p);
            if (Files.isRegularFile(p)) return EvidenceSource.zip(p);
        } catch (IOException e) {
            throw new CliException("cannot read the evidence " + p + ": " + e.getMessage(), e);
        }
        throw new CliException("no evidence folder or zip " + p);
    }
}
