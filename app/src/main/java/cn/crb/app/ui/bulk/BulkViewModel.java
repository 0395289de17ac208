package cn.crb.app.ui.bulk;

import cn.crb.app.bulk.BulkService;
import cn.crb.app.ui.common.Background;
import cn.crb.app.ui.common.ErrorMessages;
import cn.crb.app.ui.common.I18n;
import cn.crb.domain.bulk.BulkColumn;
import cn.crb.domain.bulk.BulkFileException;
import cn.crb.domain.bulk.ColumnMapping;
import cn.crb.domain.bulk.FileFacts;
import cn.crb.domain.bulk.FileFormat;
import cn.crb.domain.bulk.FilePreview;
import cn.crb.domain.bulk.HeaderMap;
import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ImportProgress;
import cn.crb.domain.bulk.Messages;
import cn.crb.domain.bulk.Problem;
import cn.crb.domain.bulk.ProblemCode;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.bulk.TextEncoding;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkJobState;
import cn.crb.localdb.BulkRepository;
import cn.crb.sync.BulkUploader;
import cn.crb.sync.PlatformException;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Bulk submission screen of a clerk, a wizard of three {@link Step}s: choose a CSV/XLSX file (format, detected
 * encoding with an override, sheet, mode, whether it was already imported); preview its first rows and map each of its
 * columns onto a field (detected from the headers, changeable, or ignored; re-read when the encoding or sheet changes);
 * import it with that mapping in the background with progress and cancel, show the counts and
 * the problems (the first {@link #PROBLEM_LIMIT}), export the rejects, submit the valid rows with the clerk's
 * passphrase (background, progress, cancel) and show the platform's per-row results; and list earlier jobs.
 */
public final class BulkViewModel {
    /** Problems shown in the table; the rest are in the exported rejects file. */
    public static final int PROBLEM_LIMIT = 5_000;
    /** At most this many platform results are listed (refused rows first); the counts above them cover every row. */
    public static final int RESULT_LIMIT = 2_000;

    /** An encoding choice: {@code encoding} null means the detected one. */
    public record EncodingOption(TextEncoding encoding) {}

    /** The choices offered: automatic, UTF-8, GB18030/GBK, UTF-16 (LE, BE with BOM). */
    public static final List<EncodingOption> ENCODINGS = List.of(new EncodingOption(null), new EncodingOption(TextEncoding.UTF_8),
            new EncodingOption(TextEncoding.GB18030), new EncodingOption(TextEncoding.UTF_16LE_BOM), new EncodingOption(TextEncoding.UTF_16BE_BOM));

    /** A choice of the code filter: {@code code} null means every code; {@code count} the job's problems of it. */
    public record CodeChoice(ProblemCode code, long count) {}

    /** A choice of the column filter: {@code columnNumber} null means every column, 0 the whole row; with its count. */
    public record ColumnChoice(Integer columnNumber, String column, long count) {}

    /** The steps of the wizard: choose a file, preview it and map its columns, see what the import found. */
    public enum Step { CHOOSE, PREVIEW, RESULTS }

    /** One column of the previewed file: its 0-based position, its header as written, the choices offered, the clerk's choice. */
    public static final class MappedColumn {
        private final int position;
        private final String header;
        private final List<ColumnMapping.Choice> choices;
        private final ObjectProperty<ColumnMapping.Choice> choice;

        private final String shown;

        MappedColumn(int position, String header, String shown) {
            this.position = position;
            this.header = header;
            this.shown = shown;
            this.choices = choicesFor(header);
            this.choice = new SimpleObjectProperty<>(ColumnMapping.initialChoice(header));
        }

        public int position() { return position; }
        public String header() { return header; }
        /** The header as shown: as written, or masked when the file has no header row and this is a learner's data. */
        public String shownHeader() { return shown; }
        public List<ColumnMapping.Choice> choices() { return choices; }
        public ObjectProperty<ColumnMapping.Choice> choiceProperty() { return choice; }
    }

    /** The choices for a column: "not recognised" only while its header names no field, then "ignore" and every field. */
    static List<ColumnMapping.Choice> choicesFor(String header) {
        List<ColumnMapping.Choice> out = new java.util.ArrayList<>();
        if (ColumnMapping.initialChoice(header) instanceof ColumnMapping.Choice.Automatic) out.add(ColumnMapping.AUTO);
        out.add(ColumnMapping.IGNORE);
        for (BulkColumn c : BulkColumn.values()) out.add(new ColumnMapping.Choice.Field(c));
        return List.copyOf(out);
    }

    private final BulkService service;
    private final Background background;
    private final I18n i18n;

    private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.CHOOSE);
    private FileFacts facts;
    private List<String> previewHeader = List.of();
    private final ObservableList<MappedColumn> mappedColumns = FXCollections.observableArrayList();
    private final ObservableList<FilePreview.Row> previewRows = FXCollections.observableArrayList();
    /** The preview's rows as read (personal data in clear): {@link #previewRows} shows them masked. */
    private List<FilePreview.Row> previewRaw = List.of();
    private final StringProperty previewText = new SimpleStringProperty("");
    private final ObservableList<Problem> mappingProblems = FXCollections.observableArrayList();
    private final StringProperty mappingText = new SimpleStringProperty("");
    /** True while the view model itself sets the encoding or sheet (no re-read). */
    private boolean settingFile;

    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final StringProperty fileText = new SimpleStringProperty("");
    private final StringProperty formatText = new SimpleStringProperty("");
    private final ObjectProperty<FileFormat> format = new SimpleObjectProperty<>();
    private final ObservableList<EncodingOption> encodings = FXCollections.observableArrayList(ENCODINGS);
    private final ObjectProperty<EncodingOption> encoding = new SimpleObjectProperty<>(ENCODINGS.getFirst());
    private final ObservableList<String> sheets = FXCollections.observableArrayList();
    private final StringProperty sheet = new SimpleStringProperty();
    private final ObservableList<ImportMode> modes = FXCollections.observableArrayList(ImportMode.values());
    private final ObjectProperty<ImportMode> mode = new SimpleObjectProperty<>(ImportMode.PARTIAL);
    private final StringProperty alreadyText = new SimpleStringProperty("");
    private final ObjectProperty<BulkJob> alreadyJob = new SimpleObjectProperty<>();

    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty progressText = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");

    private final ObjectProperty<BulkJob> job = new SimpleObjectProperty<>();
    private final StringProperty summaryText = new SimpleStringProperty("");
    private final ObservableList<Problem> problems = FXCollections.observableArrayList();
    private final StringProperty problemsNote = new SimpleStringProperty("");
    private final ObservableList<CodeChoice> codeChoices = FXCollections.observableArrayList();
    private final ObjectProperty<CodeChoice> codeFilter = new SimpleObjectProperty<>();
    private final ObservableList<ColumnChoice> columnChoices = FXCollections.observableArrayList();
    private final ObjectProperty<ColumnChoice> columnFilter = new SimpleObjectProperty<>();
    private boolean settingFilters;
    private final StringProperty exportPath = new SimpleStringProperty("");
    private final ObservableList<BulkRepository.ResultLine> results = FXCollections.observableArrayList();
    private final StringProperty resultsText = new SimpleStringProperty("");
    private final ObservableList<BulkJob> jobs = FXCollections.observableArrayList();
    private volatile AtomicBoolean cancel = new AtomicBoolean();
    /** True once an import has read every row: the rest (storing, registering) can no longer be cancelled. */
    private final BooleanProperty finishing = new SimpleBooleanProperty();

    public BulkViewModel(BulkService service, Background background, I18n i18n) {
        this.service = service;
        this.background = background;
        this.i18n = i18n;
        codeFilter.addListener((o, a, b) -> { if (!settingFilters) reloadProblems(); });
        columnFilter.addListener((o, a, b) -> { if (!settingFilters) reloadProblems(); });
        encoding.addListener((o, a, b) -> { if (!settingFile) reloadPreview(); });
        sheet.addListener((o, a, b) -> { if (!settingFile) reloadPreview(); });
    }

    /** Loads the list of earlier jobs. */
    public void loadJobs() {
        background.run(service::jobs, jobs::setAll, t -> message.set(ErrorMessages.of(t, i18n)));
    }

    /**
     * Takes a chosen file: inspects it (format, encoding, SM3 against earlier imports, sheets) and reads its first rows
     * for the preview, in the background; then the wizard is at {@link Step#PREVIEW}.
     */
    public void chooseFile(Path f) {
        if (f == null || running.get()) return;
        // the job shown before (its counts, problems, rejects file) belongs to another file
        show(null);
        file.set(f);
        fileText.set(f.getFileName().toString());
        formatText.set("");
        alreadyText.set("");
        alreadyJob.set(null);
        settingFile = true;
        try {
            sheets.clear();
            sheet.set(null);
        } finally {
            settingFile = false;
        }
        facts = null;
        clearPreview();
        step.set(Step.CHOOSE);
        message.set("");
        running.set(true);
        progress.set(-1);
        progressText.set(i18n.text("bulk.inspecting"));
        ReadOptions o = options();
        background.run(() -> {
            BulkService.FileInfo info = service.inspect(f, o, i18n.locale());
            ReadOptions first = info.sheets().isEmpty() ? o : o.withSheet(info.sheets().getFirst());
            return new Chosen(info, service.preview(info.inspection().facts(), first, FilePreview.ROWS, i18n.locale()));
        }, chosen -> {
            BulkService.FileInfo info = chosen.info();
            running.set(false);
            progress.set(0);
            progressText.set("");
            format.set(info.format());
            facts = info.inspection().facts();
            formatText.set(info.format() == FileFormat.CSV
                    ? i18n.text("bulk.format.csv", facts.detectedEncoding() == null ? "" : facts.detectedEncoding().displayName(), size(facts.size()))
                    : i18n.text("bulk.format.xlsx", size(facts.size())));
            settingFile = true;
            try {
                sheets.setAll(info.sheets());
                sheet.set(info.sheets().isEmpty() ? null : info.sheets().getFirst());
            } finally {
                settingFile = false;
            }
            info.alreadyImportedAs().ifPresent(j -> {
                alreadyJob.set(j);
                alreadyText.set(i18n.text("bulk.already", j.id(), importedOn(j), stateText(j.state())));
            });
            showPreview(chosen.preview());
        }, t -> {
            running.set(false);
            progress.set(0);
            progressText.set("");
            message.set(error(t));
        });
    }

    private record Chosen(BulkService.FileInfo info, FilePreview preview) {}

    /** Reads the preview again with the encoding or sheet now chosen (the column choices start again from the headers). */
    private void reloadPreview() {
        FileFacts f = facts;
        if (f == null || running.get()) return;
        running.set(true);
        progress.set(-1);
        progressText.set(i18n.text("bulk.preview.reading"));
        ReadOptions o = options();
        background.run(() -> service.preview(f, o, FilePreview.ROWS, i18n.locale()), p -> {
            running.set(false);
            progress.set(0);
            progressText.set("");
            if (f == facts) showPreview(p);
        }, t -> {
            running.set(false);
            progress.set(0);
            progressText.set("");
            clearPreview();
            message.set(error(t));
        });
    }

    private void clearPreview() {
        previewHeader = List.of();
        mappedColumns.clear();
        previewRows.clear();
        previewRaw = List.of();
        previewText.set("");
        mappingProblems.clear();
        mappingText.set("");
    }

    private void showPreview(FilePreview p) {
        previewHeader = p.header();
        previewRaw = p.rows();
        List<String> shown = HeaderMap.storable(p.header());
        List<MappedColumn> cols = new java.util.ArrayList<>();
        for (int i = 0; i < p.header().size(); i++) {
            MappedColumn c = new MappedColumn(i, p.header().get(i), shown.get(i));
            c.choiceProperty().addListener((o, a, b) -> checkMapping());
            cols.add(c);
        }
        mappedColumns.setAll(cols);
        String more = p.more() ? i18n.text("bulk.preview.more") : "";
        previewText.set(p.encoding() == null ? i18n.text("bulk.preview.xlsx", p.rows().size(), more)
                : i18n.text("bulk.preview.csv", p.rows().size(), more, p.encoding().displayName(), delimiterText(p.delimiter())));
        checkMapping();
        step.set(Step.PREVIEW);
    }

    private static List<String> masked(List<String> cells, int namePosition, java.util.Set<Integer> mayHoldNames) {
        List<String> out = new java.util.ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean name = i == namePosition || (mayHoldNames.contains(i) && readsLikeAChineseName(c));
            out.add(name ? cn.crb.domain.bulk.NameMasking.mask(c) : cn.crb.domain.bulk.PersonalText.maskDigitRuns(c));
        }
        return out;
    }

    /** Two to six Han characters, a middle dot allowed (阿卜杜·热合曼). */
    private static boolean readsLikeAChineseName(String s) {
        String t = s.strip();
        int n = t.codePointCount(0, t.length());
        return n >= 2 && n <= 6 && t.codePoints().allMatch(cp -> cp == '·' || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private String delimiterText(Character d) {
        return d != null && d == '\t' ? i18n.text("bulk.delimiter.tab") : i18n.text("bulk.delimiter.comma");
    }

    /** The header checked under the clerk's choices: unknown, missing and repeated columns, in the clerk's language. */
    private void checkMapping() {
        HeaderMap h = HeaderMap.of(previewHeader, mapping(), Messages.of(i18n.locale()));
        // the learners' data as the preview may show it without a reveal: IDs (in whatever column) to their first 6
        // and last 4 digits, names in the column read as the name masked as names are — enough to see that the
        // columns and the encoding are right
        int name = h.position(cn.crb.domain.bulk.BulkColumn.NAME);
        // any column not mapped to a field of ours (a file without its header row, a name column headed 学员姓名 that is not
        // recognised, one the clerk set to be ignored) may hold names, so what reads like a Chinese name there is masked too
        java.util.Set<Integer> unmapped = new java.util.HashSet<>();
        for (int i = 0; i < previewHeader.size(); i++) unmapped.add(i);
        for (cn.crb.domain.bulk.BulkColumn c : cn.crb.domain.bulk.BulkColumn.values()) unmapped.remove(h.position(c));
        previewRows.setAll(previewRaw.stream().map(r -> new FilePreview.Row(r.rowNumber(), masked(r.cells(), name, unmapped))).toList());
        mappingProblems.setAll(h.problems());
        mappingText.set(h.problems().isEmpty() ? i18n.text("bulk.map.ok")
                : String.join("\n", h.problems().stream().map(Problem::message).toList()));
    }

    /** The mapping the clerk's choices make ({@link ColumnMapping#AUTOMATIC} before a preview). */
    public ColumnMapping mapping() {
        return mappedColumns.isEmpty() ? ColumnMapping.AUTOMATIC
                : ColumnMapping.of(mappedColumns.stream().map(c -> c.choiceProperty().get()).toList());
    }

    /** A mapping choice in words: a field as "身份证号 (id_number)", "ignore this column", "not recognised". */
    public String choiceText(ColumnMapping.Choice c) {
        return switch (c) {
            case null -> "";
            case ColumnMapping.Choice.Automatic a -> i18n.text("bulk.map.unknown");
            case ColumnMapping.Choice.Ignored x -> i18n.text("bulk.map.ignore");
            case ColumnMapping.Choice.Field f -> i18n.text("bulk.map.field", f.column().header(i18n.locale()), f.column().english());
        };
    }

    /** Imports the chosen file in the background; progress in rows and bytes; {@link #cancel} stops it. */
    public void importFile() {
        Path f = file.get();
        if (f == null || running.get()) return;
        AtomicBoolean c = new AtomicBoolean();
        cancel = c;
        running.set(true);
        progress.set(0);
        message.set("");
        // the size the inspection found (asking the file system here would do I/O on the FX thread)
        long known = facts != null && facts.file().equals(f) ? facts.size() : 0;
        progressText.set(i18n.text("bulk.progress.import", 0, size(0), known > 0 ? size(known) : "…"));
        ReadOptions o = options();
        ImportMode m = mode.get();
        ImportProgress shown = new ImportProgress() {
            @Override
            public void update(long rows, long bytes, long total) {
                background.ui(() -> {
                    progress.set(total > 0 ? Math.min(1.0, bytes / (double) total) : -1);
                    progressText.set(i18n.text("bulk.progress.import", i18n.count(rows), size(bytes), size(total)));
                });
            }

            @Override
            public void finishing(long rows) {
                // every row is read; storing the last ones and registering them takes seconds on a large file
                background.ui(() -> {
                    finishing.set(true);
                    progress.set(-1);
                    progressText.set(i18n.text("bulk.progress.finishing", i18n.count(rows)));
                });
            }
        };
        background.run(() -> service.importFile(f, o, m, i18n.locale(), shown, c::get), outcome -> {
            running.set(false);
            finishing.set(false);
            progress.set(1);
            progressText.set("");
            if (outcome.alreadyImported()) {
                alreadyJob.set(outcome.job());
                alreadyText.set(i18n.text("bulk.already", outcome.job().id(), importedOn(outcome.job()), stateText(outcome.job().state())));
                message.set(i18n.text("bulk.imported.again"));
            } else if (outcome.summary() != null && outcome.summary().garbledHeader()) {
                // the header's names unreadable in the encoding used: most likely the wrong one, not missing columns
                message.set(i18n.text("bulk.imported.headerGarbled", outcome.summary().encoding().displayName()));
            } else if (outcome.summary() != null && !outcome.summary().headerUsable()) {
                // no row was read: "export the rejects and fix them" would point at a button with nothing behind it
                message.set(i18n.text("bulk.imported.headerUnusable", i18n.list(outcome.summary().headerProblems().stream()
                        .filter(p -> p.code() == cn.crb.domain.bulk.ProblemCode.COLUMN_MISSING).map(p -> p.column()).toList())));
            } else if (outcome.job().state() == BulkJobState.BLOCKED && outcome.summary() != null && outcome.summary().everyRowRejected()) {
                message.set(i18n.text("bulk.imported.allRejected", outcome.summary().encoding().displayName()));
            } else {
                message.set(i18n.text("bulk.imported." + outcome.job().state().name()));
            }
            show(outcome.job());
            loadJobs();
        }, t -> {
            running.set(false);
            finishing.set(false);
            progress.set(0);
            progressText.set("");
            message.set(error(t));
        });
    }

    /** Asks the running import or upload to stop. */
    public void cancel() {
        cancel.set(true);
    }

    /** Shows a job: counts, its first problems, and the platform's results when complete. */
    public void show(BulkJob j) {
        job.set(j);
        if (j != null) step.set(Step.RESULTS);
        exportPath.set(j == null || j.invalidRows() == 0 ? "" : suggestedRejectsFile(j).toString());
        if (j == null) {
            summaryText.set("");
            problems.clear();
            problemsNote.set("");
            setFilters(List.of(), List.of());
            results.clear();
            resultsText.set("");
            return;
        }
        summaryText.set(summary(j));
        long id = j.id();
        background.run(() -> new Details(service.job(id).orElse(j), service.problems(id, 0, PROBLEM_LIMIT + 1), service.problemFacets(id),
                service.resultPage(id, RESULT_LIMIT)), d -> {
            if (job.get() == null || job.get().id() != id) return;
            job.set(d.job());
            summaryText.set(summary(d.job()));
            List<CodeChoice> codes = new java.util.ArrayList<>();
            codes.add(new CodeChoice(null, d.facets().total()));
            d.facets().byCode().forEach((c, n) -> codes.add(new CodeChoice(c, n)));
            List<ColumnChoice> columns = new java.util.ArrayList<>();
            columns.add(new ColumnChoice(null, "", d.facets().total()));
            d.facets().byColumn().forEach(c -> columns.add(new ColumnChoice(c.columnNumber(), c.column(), c.count())));
            setFilters(codes, columns);
            showProblems(d.problems(), d.facets().total(), false);
            BulkRepository.ResultCounts counts = d.results().counts();
            results.setAll(d.results().lines());
            long all = counts.accepted() + counts.refused();
            resultsText.set(all == 0 ? "" : all > results.size()
                    ? i18n.text(counts.refused() == 0 ? "bulk.results.summaryLimitedAllAccepted" : "bulk.results.summaryLimited",
                            i18n.count(counts.accepted()), i18n.count(counts.refused()), i18n.count(results.size()))
                    : i18n.text("bulk.results.summary", i18n.count(counts.accepted()), i18n.count(counts.refused())));
        }, t -> message.set(error(t)));
    }

    private record Details(BulkJob job, List<Problem> problems, BulkRepository.ProblemFacets facets, BulkRepository.ResultPage results) {}

    private void setFilters(List<CodeChoice> codes, List<ColumnChoice> columns) {
        settingFilters = true;
        try {
            codeChoices.setAll(codes);
            codeFilter.set(codes.isEmpty() ? null : codes.getFirst());
            columnChoices.setAll(columns);
            columnFilter.set(columns.isEmpty() ? null : columns.getFirst());
        } finally {
            settingFilters = false;
        }
    }

    private void showProblems(List<Problem> p, long matching, boolean filtered) {
        problems.setAll(p.size() > PROBLEM_LIMIT ? p.subList(0, PROBLEM_LIMIT) : p);
        if (p.size() > PROBLEM_LIMIT) problemsNote.set(i18n.text("bulk.problems.more", i18n.count(PROBLEM_LIMIT)));
        else if (filtered) problemsNote.set(i18n.text("bulk.problems.filtered", i18n.count(matching), i18n.count(codeChoices.isEmpty() ? matching : codeChoices.getFirst().count())));
        else problemsNote.set("");
    }

    /** Reloads the problems table for the chosen code and column (in the background, from the database). */
    private void reloadProblems() {
        BulkJob j = job.get();
        if (j == null) return;
        long id = j.id();
        ProblemCode code = codeFilter.get() == null ? null : codeFilter.get().code();
        Integer column = columnFilter.get() == null ? null : columnFilter.get().columnNumber();
        background.run(() -> new FilteredPage(service.problems(id, code, column, 0, PROBLEM_LIMIT + 1), service.problemCount(id, code, column)), pg -> {
            if (job.get() == null || job.get().id() != id) return;
            if (!java.util.Objects.equals(code, codeFilter.get() == null ? null : codeFilter.get().code())
                    || !java.util.Objects.equals(column, columnFilter.get() == null ? null : columnFilter.get().columnNumber())) return;
            showProblems(pg.problems(), pg.count(), code != null || column != null);
        }, t -> message.set(error(t)));
    }

    private record FilteredPage(List<Problem> problems, long count) {}

    /**
     * Where the rejects of a job are suggested to go: next to the file just chosen when it is that job's file (else in
     * the home folder), named after it with the rejects suffix, in its format.
     */
    Path suggestedRejectsFile(BulkJob j) {
        Path f = file.get();
        Path dir = f != null && f.getFileName().toString().equals(j.fileName()) && f.toAbsolutePath().getParent() != null
                ? f.toAbsolutePath().getParent() : Path.of(System.getProperty("user.home"));
        String base = j.fileName().replaceFirst("\\.[^.]*$", "");
        return dir.resolve(base + i18n.text("bulk.export.suffix") + ("XLSX".equals(j.format()) ? ".xlsx" : ".csv"));
    }

    /** Writes the shown job's rejects to the path in the export field; an existing file is never overwritten from here. */
    public void exportRejectsToTypedPath() {
        String text = exportPath.get() == null ? "" : exportPath.get().strip().replaceAll("^\"|\"$", "");
        if (text.isEmpty()) return;
        Path out;
        try {
            out = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            message.set(i18n.text("bulk.export.badPath", text));
            return;
        }
        if (java.nio.file.Files.exists(out)) {
            message.set(i18n.text("bulk.export.exists", out.getFileName()));
            return;
        }
        exportRejects(out);
    }

    /** Writes the shown job's rejects to {@code out} (original format and encoding, with an errors column). */
    public void exportRejects(Path out) {
        BulkJob j = job.get();
        if (j == null || out == null || running.get()) return;
        running.set(true);
        progress.set(-1);
        background.run(() -> service.exportRejects(j.id(), out, i18n.locale()), n -> {
            running.set(false);
            progress.set(0);
            message.set(i18n.text("bulk.exported", i18n.count(n), out.getFileName()));
        }, t -> {
            running.set(false);
            progress.set(0);
            message.set(error(t));
        });
    }

    /** Uploads the shown job's valid rows, signed with the key the passphrase opens; progress in chunks; cancellable. */
    public void submit(char[] passphrase) {
        BulkJob j = job.get();
        if (j == null || running.get()) return;
        char[] pass = passphrase.clone();
        Arrays.fill(passphrase, '\0');
        AtomicBoolean c = new AtomicBoolean();
        cancel = c;
        running.set(true);
        progress.set(-1);
        message.set("");
        progressText.set(i18n.text("bulk.progress.upload", 0, j.chunkCount()));
        background.run(() -> {
            try {
                return service.upload(j.id(), pass, (held, total) -> background.ui(() -> {
                    progress.set(total > 0 ? held / (double) total : -1);
                    progressText.set(i18n.text("bulk.progress.upload", held, total));
                }), c::get);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }, r -> {
            running.set(false);
            progress.set(r.state() == BulkJobState.COMPLETE ? 1 : 0);
            progressText.set("");
            message.set(r.state() == BulkJobState.COMPLETE ? i18n.text("bulk.submitted", i18n.count(r.accepted()), i18n.count(r.refused())) : i18n.text("bulk.upload.cancelled"));
            loadJobs();
            show(j);
        }, t -> {
            running.set(false);
            progress.set(0);
            progressText.set("");
            message.set(error(t));
            loadJobs();
            show(j);
        });
    }

    private ReadOptions options() {
        EncodingOption e = encoding.get();
        ReadOptions o = ReadOptions.DEFAULT.withEncoding(e == null ? null : e.encoding()).withMapping(mapping());
        return sheet.get() == null ? o : o.withSheet(sheet.get());
    }

    private String summary(BulkJob j) {
        // blocked before any row was read (a required column missing): "0 rows" would read as if the file were empty
        if (j.state() == BulkJobState.BLOCKED && j.totalRows() == 0) return i18n.text("bulk.summary.noRowsRead", j.fileName(), stateText(j.state()));
        return i18n.text("bulk.summary", j.fileName(), i18n.count(j.totalRows()), i18n.count(j.validRows()), i18n.count(j.invalidRows()), i18n.count(j.skippedRows()), stateText(j.state()));
    }

    /** The day a job was imported, on the clerk's calendar (it is stored as an instant) and in their language. */
    private String importedOn(BulkJob j) {
        return i18n.date(j.createdAt().atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDate());
    }

    private String error(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return switch (c) {
            case BulkFileException b -> i18n.text("bulk.error.file", b.getMessage());
            case BulkService.NoStandardsException n -> i18n.text("bulk.error.noStandards");
            case cn.crb.sync.BulkUploader.CompletionAlteredException a -> i18n.text("bulk.error.completionAltered", Long.toString(a.jobId()));
            case PlatformException p when cn.crb.sync.BulkUploader.RECEIPT_UNVERIFIED.equals(p.code()) -> i18n.text("bulk.error.receipt", p.getMessage());
            case PlatformException p when p.kind() == PlatformException.Kind.SERVER && p.retryAfter() != null && p.retryAfter().toSeconds() > 0 ->
                    i18n.text("bulk.error.platform.SERVER_AFTER", p.code() == null ? p.httpStatus() : p.code(),
                            i18n.count(Math.max(1, (p.retryAfter().toSeconds() + 59) / 60)));
            case PlatformException p -> i18n.text("bulk.error.platform." + p.kind().name(), p.code() == null ? p.httpStatus() : p.code(),
                    p.getMessage() == null ? "" : p.getMessage());
            case java.nio.file.NoSuchFileException nf -> i18n.text("bulk.error.noFile", nf.getFile());
            case java.io.IOException io -> i18n.text("bulk.error.io", io.getMessage());
            default -> ErrorMessages.of(c, i18n);
        };
    }

    private String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(i18n.locale(), "%.1f KB", bytes / 1024.0);
        return String.format(i18n.locale(), "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** A job state in words. */
    public String stateText(BulkJobState s) { return i18n.text("bulk.state." + s.name()); }

    /** A mode in words. */
    public String modeText(ImportMode m) { return m == null ? "" : i18n.text("bulk.mode." + m.name()); }

    /** An encoding choice in words. */
    public String encodingText(EncodingOption e) {
        return e == null ? "" : e.encoding() == null ? i18n.text("bulk.encoding.auto") : e.encoding().displayName();
    }

    /** A job of the list: number, file, date, state and counts. */
    public String jobLabel(BulkJob j) {
        return i18n.text("bulk.job.label", j.id(), j.fileName(), stateText(j.state()), i18n.count(j.validRows()), i18n.count(j.invalidRows()));
    }

    /** The column of a problem as in Excel: letter and the header as written. */
    public static String columnText(Problem p) {
        return columnText(p.columnNumber(), p.column());
    }

    private static String columnText(int columnNumber, String column) {
        if (columnNumber <= 0) return column;
        StringBuilder b = new StringBuilder();
        for (int n = columnNumber; n > 0; n = (n - 1) / 26) b.insert(0, (char) ('A' + (n - 1) % 26));
        return column.isEmpty() ? b.toString() : b + " " + column;
    }

    /** A choice of the code filter in words, with its count: "all codes (37)" or "ID_CHECKSUM (12)". */
    public String codeChoiceText(CodeChoice c) {
        if (c == null) return "";
        return c.code() == null ? i18n.text("bulk.filter.allCodes", i18n.count(c.count())) : i18n.text("bulk.filter.choice", c.code().name(), i18n.count(c.count()));
    }

    /** A choice of the column filter in words, with its count: "all columns (37)", "A 身份证号 (12)" or "whole row (2)". */
    public String columnChoiceText(ColumnChoice c) {
        if (c == null) return "";
        if (c.columnNumber() == null) return i18n.text("bulk.filter.allColumns", i18n.count(c.count()));
        String name = c.columnNumber() == 0 && c.column().isEmpty() ? i18n.text("bulk.filter.wholeRow") : columnText(c.columnNumber(), c.column());
        return i18n.text("bulk.filter.choice", name, i18n.count(c.count()));
    }

    /** A row result's status in words. */
    public String resultStatusText(BulkRepository.ResultLine r) {
        // a status the contract does not name (the platform may send others) is shown as sent, not as a missing key
        String key = "bulk.result." + r.status();
        return i18n.bundle().containsKey(key) ? i18n.text(key) : r.status();
    }

    /** A row result's refusal code in words (the code itself when unknown). */
    public String resultCodeText(BulkRepository.ResultLine r) {
        if (r.code() == null) return "";
        String key = "bulk.refusal." + r.code();
        return i18n.bundle().containsKey(key) ? i18n.text(key) + " (" + r.code() + ")" : r.code();
    }

    public ObjectProperty<Step> stepProperty() { return step; }
    public StringProperty exportPathProperty() { return exportPath; }
    public ObservableList<MappedColumn> mappedColumns() { return mappedColumns; }
    public ObservableList<FilePreview.Row> previewRows() { return previewRows; }
    public StringProperty previewTextProperty() { return previewText; }
    public ObservableList<Problem> mappingProblems() { return mappingProblems; }
    public StringProperty mappingTextProperty() { return mappingText; }
    public ObjectProperty<Path> fileProperty() { return file; }
    public StringProperty fileTextProperty() { return fileText; }
    public StringProperty formatTextProperty() { return formatText; }
    public ObjectProperty<FileFormat> formatProperty() { return format; }
    public ObservableList<EncodingOption> encodings() { return encodings; }
    public ObjectProperty<EncodingOption> encodingProperty() { return encoding; }
    public ObservableList<String> sheets() { return sheets; }
    public StringProperty sheetProperty() { return sheet; }
    public ObservableList<ImportMode> modes() { return modes; }
    public ObjectProperty<ImportMode> modeProperty() { return mode; }
    public StringProperty alreadyTextProperty() { return alreadyText; }
    public ObjectProperty<BulkJob> alreadyJobProperty() { return alreadyJob; }
    public BooleanProperty runningProperty() { return running; }
    public BooleanProperty finishingProperty() { return finishing; }
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty progressTextProperty() { return progressText; }
    public StringProperty messageProperty() { return message; }
    public ObjectProperty<BulkJob> jobProperty() { return job; }
    public StringProperty summaryTextProperty() { return summaryText; }
    public ObservableList<Problem> problems() { return problems; }

    /** A rejected row as read from the file — header and value — after the person asked to see it (the reveal is audited). */
    public record RevealedRow(long row, List<java.util.Map.Entry<String, String>> cells) {}

    /**
     * Shows the rejected row of {@code p} in clear, personal data included; the reveal is written to the audit log with
     * this person's key id before anything is shown.
     */
    public void reveal(Problem p, java.util.function.Consumer<RevealedRow> show) {
        BulkJob j = job.get();
        if (j == null || p == null) return;
        background.run(() -> service.revealRejectedRow(j.id(), p.row()), cells -> {
            if (cells.isEmpty()) {
                message.set(i18n.text("bulk.reveal.none", p.row()));
                return;
            }
            List<java.util.Map.Entry<String, String>> pairs = new java.util.ArrayList<>();
            for (int i = 0; i < cells.get().size(); i++) {
                String h = i < j.header().size() ? j.header().get(i) : "";
                pairs.add(java.util.Map.entry(columnLetter(i + 1) + " " + h, cells.get().get(i)));
            }
            message.set(i18n.text("bulk.reveal.logged", p.row()));
            show.accept(new RevealedRow(p.row(), pairs));
        }, t -> message.set(ErrorMessages.of(t, i18n)));
    }

    private static String columnLetter(int n) {
        StringBuilder b = new StringBuilder();
        for (int x = n; x > 0; x = (x - 1) / 26) b.insert(0, (char) ('A' + (x - 1) % 26));
        return b.toString();
    }
    public StringProperty problemsNoteProperty() { return problemsNote; }
    public ObservableList<CodeChoice> codeChoices() { return codeChoices; }
    public ObjectProperty<CodeChoice> codeFilterProperty() { return codeFilter; }
    public ObservableList<ColumnChoice> columnChoices() { return columnChoices; }
    public ObjectProperty<ColumnChoice> columnFilterProperty() { return columnFilter; }
    public ObservableList<BulkRepository.ResultLine> results() { return results; }
    public StringProperty resultsTextProperty() { return resultsText; }
    public ObservableList<BulkJob> jobs() { return jobs; }

    /** True when a file is chosen and nothing runs. */
    public BooleanBinding canImport() { return Bindings.createBooleanBinding(() -> file.get() != null && !running.get(), file, running); }

    /** True when the shown job has rejected rows and nothing runs. */
    public BooleanBinding canExport() {
        return Bindings.createBooleanBinding(() -> job.get() != null && job.get().invalidRows() > 0 && !running.get(), job, running);
    }

    /** True when the shown job has rows to send (READY, or an interrupted upload) and nothing runs. */
    public BooleanBinding canSubmit() {
        return Bindings.createBooleanBinding(() -> job.get() != null && !running.get()
                && (job.get().state() == BulkJobState.READY || job.get().state() == BulkJobState.UPLOADING), job, running);
    }
}
