package cn.crb.domain.bulk;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static cn.crb.domain.bulk.BulkTestFiles.HEADER_ZH;
import static cn.crb.domain.bulk.BulkTestFiles.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One cell, shared text, row or tag of an XLSX too large to read into memory stops the file before any parser reads it. */
class XlsxMarkupGuardTest {
    @TempDir
    Path dir;

    private static XlsxMarkupGuard.TooLarge scan(String xml, int chunk) {
        return scanBytes(xml.getBytes(StandardCharsets.UTF_8), chunk);
    }

    private static String sheet(String rows) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + rows + "</sheetData></worksheet>";
    }

    private static String cell(String ref, String text) {
        return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
    }

    @Test
    void cellsRowsTextsAndTagsOverTheirCapsAreNamedWithTheirRow() {
        String small = sheet("<row r=\"1\">" + cell("A1", "x".repeat(30)) + "</row><row r=\"7\" spans=\"1:2\">" + cell("A7", "y".repeat(30)) + "</row>");
        for (int chunk : new int[] {1, 7, 4096}) assertThat(scan(small, chunk)).as("chunks of %d", chunk).isNull();

        String bigCell = sheet("<row r=\"1\">" + cell("A1", "x") + "</row><row spans=\"1:2\" r=\"7\">" + cell("A7", "y".repeat(101)) + "</row>");
        for (int chunk : new int[] {1, 7, 4096}) {
            XlsxMarkupGuard.TooLarge t = scan(bigCell, chunk);
            assertThat(t).as("chunks of %d", chunk).isNotNull();
            assertThat(t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
            assertThat(t.row).isEqualTo(7);
        }
        // a row without r is the one after the last
        assertThat(scan(sheet("<row r=\"4\"/><row>" + cell("A5", "y".repeat(101)) + "</row>"), 5).row).isEqualTo(5);
        // many cells, each under the cap, in one row over it
        XlsxMarkupGuard.TooLarge row = scan(sheet("<row r=\"3\">" + cell("A3", "y".repeat(40)).repeat(20) + "</row>"), 64);
        assertThat(row.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ROW);
        assertThat(row.row).isEqualTo(3);
        XlsxMarkupGuard.TooLarge text = scan("<sst><si><t>a</t></si><si><r><t>" + "z".repeat(120) + "</t></r></si></sst>", 16);
        assertThat(text.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.TEXT);
        XlsxMarkupGuard.TooLarge tag = scan(sheet("<row r=\"2\"><c r=\"A2\" x=\"" + "q".repeat(300) + "\"/></row>"), 50);
        assertThat(tag.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.TAG);
        // a cell never closed is stopped all the same
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A2\"><v>" + "9".repeat(500)), 64).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
    }

    @Test
    void nothingInsideAValueOrAMarkupCanEndACellEarly() {
        String filler = "y".repeat(150);
        // an end tag in a CDATA section, in a comment, in a quoted attribute; a '>' in an attribute; a nested cell; a prefix
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A2\"><v><![CDATA[1</c>" + filler + "]]></v></c></row>"), 3).what)
                .isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A2\"><!-- </c> -->" + filler + "</c></row>"), 3).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A2\" note='a>b</c>'>" + filler + "</c></row>"), 3).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A2\"><c/><c>1</c>" + filler + "</c></row>"), 3).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        assertThat(scan(sheet("<x:row r=\"2\"><x:c r=\"A2\"><x:v>" + filler + "</x:v></x:c></x:row>"), 3).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        // a processing instruction and self-closing cells open nothing; other elements are not capped
        assertThat(scan("<?xml version=\"1.0\"?><ws><cols>" + "<col min=\"1\"/>".repeat(100) + "</cols>"
                + sheet("<row r=\"1\">" + "<c r=\"A1\" s=\"3\"/>".repeat(20) + "</row>") + "</ws>", 5)).isNull();
        // elements whose names only begin like the counted ones are not counted
        String longer = "y".repeat(400);
        assertThat(scan(sheet("<row r=\"1\"><col>" + longer + "</col><sir>" + longer + "</sir><cc>" + longer + "</cc></row>"), 9).what)
                .isEqualTo(XlsxMarkupGuard.TooLarge.What.ROW);
        assertThat(scan("<a><col>" + filler + "</col><sir>" + filler + "</sir><cc>" + filler + "</cc><rows>" + filler + "</rows></a>", 9)).isNull();
    }

    @Test
    void whatCouldHideACellFromTheTokenizerIsRefusedOrSeenThrough() {
        String filler = "y".repeat(150);
        // a namespace prefix of any length: the local name counts
        assertThat(scan(sheet("<row r=\"2\"><averyveryverylongprefix:c r=\"A2\"><v>" + filler + "</v></averyveryverylongprefix:c></row>"), 5).what)
                .isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
        // a DOCTYPE with only its identifiers is skipped (an SVG image may have one; a literal may hold '>'); one with an
        // internal subset is refused, as is one in a part with cells (its entities could make a cell larger than its bytes)
        assertThat(scan("<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN>\" 'x.dtd'><svg><g>" + filler + "</g></svg>", 3)).isNull();
        assertThat(scan("<?xml version=\"1.0\"?><!DOCTYPE ws>" + sheet("<row r=\"1\"/>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.DECLARATION);
        assertThat(scan("<!DOCTYPE svg [<!ENTITY ns_svg \"http://www.w3.org/2000/svg\">]><svg/>", 3).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.DECLARATION);
        // where a subset ends depends on the reader: Aalto ends this one at " ] >" and reads the cell the comments hide
        String hidden = "<!DOCTYPE worksheet [<!-- ' --> ' > ] >" + sheet("<row r=\"1\">" + cell("A1", filler) + "</row>") + "<!-- ' ]> -->";
        assertThat(scan(hidden, 3)).isNotNull();
        // calcChain.xml lists every formula's cell, outside any row: more than 16,384 of them are not one row's
        byte[] chain = ("<calcChain>" + "<c r=\"A1\" i=\"1\"/>".repeat(XlsxMarkupGuard.MAX_COLUMNS + 10) + "</calcChain>").getBytes(StandardCharsets.UTF_8);
        assertThat(scanBytes(chain, 4096)).isNull();
        // the address is the value of the attribute named r, not text that looks like one inside another value
        assertThat(scan(sheet("<row r=\"2\"><c x=\" r='A1'\" r=\"ZZZZZZ2\"/></row>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        XlsxMarkupGuard longTags = new XlsxMarkupGuard(100, 1_000, 10_000); // r after 300 bytes of other attributes
        byte[] late = sheet("<row r=\"2\"><c " + "a=\"1\" ".repeat(60) + "x:r = 'ZZZZZZ2'/></row>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> longTags.feed(late, 0, late.length)).isInstanceOfSatisfying(XlsxMarkupGuard.TooLarge.class,
                t -> assertThat(t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS));
        assertThat(scan(sheet("<row r=\"2\"><c r=\"A" + "1".repeat(40) + "\"/></row>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        // only what Excel writes: fastexcel takes every character before the digits for a column letter
        for (String r : List.of("$ZZZZZZ2", "XFD&#90;&#90;2", "ZZ~2", "A0", "A", "2", "AAAA2", "A1048577", "A2 ")) {
            assertThat(scan(sheet("<row r=\"2\"><c r=\"" + r + "\"/></row>"), 5)).as(r).isNotNull()
                    .extracting(t -> t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        }
        assertThat(scan(sheet("<row r=\"x2\"/>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        // a namespace declared on the row itself is not its address; a cell's r in lower case is still a column
        assertThat(scan(sheet("<row xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r=\"3\"><c r=\"xfd3\"/></row>"), 5)).isNull();
        assertThat(scan(sheet("<row spans=\"1:2\" r=\"9\"><c r=\"A9\"><v>" + filler + "</v></c></row>"), 5).row).isEqualTo(9);
        // a VML drawing's conditional section (a cell comment's shape) is skipped, not refused
        assertThat(scan("<xml><![if gte mso 9]><o:shapelayout v:ext=\"edit\"/><![endif]><x:ClientData ObjectType=\"Note\"/></xml>", 3)).isNull();
        // UTF-16, with a byte-order mark or without: read unit by unit; UTF-32 is refused
        String big = sheet("<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>" + "张".repeat(150) + "</t></is></c></row>");
        for (var cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            byte[] plain = big.getBytes(cs);
            byte[] bom = cs == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
            for (byte[] b : List.of(plain, concat(bom, plain))) {
                XlsxMarkupGuard.TooLarge t = scanBytes(b, 3);
                assertThat(t).as(cs.name()).isNotNull();
                assertThat(t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELL);
                assertThat(t.row).isEqualTo(4);
            }
            assertThat(scanBytes(sheet("<row r=\"4\"><c r=\"A4\"><v>1</v></c></row>").getBytes(cs), 3)).isNull();
        }
        assertThat(scanBytes(concat(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, big.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))), 64).what)
                .isEqualTo(XlsxMarkupGuard.TooLarge.What.ENCODING);
        // an address beyond Excel's sheet (a reader sizes the row by its column), too many cells in one row
        XlsxMarkupGuard.TooLarge wide = scan(sheet("<row r=\"2\"><c r=\"ZZZZZZ2\"/></row>"), 5);
        assertThat(wide.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        assertThat(wide.address).isEqualTo("ZZZZZZ2");
        assertThat(scan(sheet("<row r=\"2\"><c r=\"XFD2\"/><c r=\"A1048576\"/></row>"), 5)).isNull();
        assertThat(scan(sheet("<row r=\"2\"><c r=\"XFE2\"/></row>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        assertThat(scan(sheet("<row r=\"1048577\"/>"), 5).what).isEqualTo(XlsxMarkupGuard.TooLarge.What.ADDRESS);
        XlsxMarkupGuard many = new XlsxMarkupGuard(100, Long.MAX_VALUE, 200);
        byte[] row = sheet("<row r=\"3\">" + "<c/>".repeat(XlsxMarkupGuard.MAX_COLUMNS + 1) + "</row>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> many.feed(row, 0, row.length)).isInstanceOfSatisfying(XlsxMarkupGuard.TooLarge.class,
                t -> assertThat(t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.CELLS));
        // a part that is not XML (an image, a binary) is not read as markup, whatever bytes it holds
        byte[] png = concat(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, ("<c>" + "y".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
        assertThat(scanBytes(png, 7)).isNull();
    }

    private static XlsxMarkupGuard.TooLarge scanBytes(byte[] b, int chunk) {
        XlsxMarkupGuard g = new XlsxMarkupGuard(100, 1_000, 200);
        try {
            for (int off = 0; off < b.length; off += chunk) g.feed(b, off, Math.min(chunk, b.length - off));
            return null;
        } catch (XlsxMarkupGuard.TooLarge t) {
            return t;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The clerk's view: a workbook with a 2 MB cell is stopped with the row, in their language; one of 20,000 characters is a row problem. */
    @Test
    void aWorkbookWithAHugeCellIsStoppedAndAMerelyLongOneReported() throws Exception {
        String[] h = HEADER_ZH.split(",");
        Path huge = dir.resolve("huge.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(huge))) {
            put(zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>");
            StringBuilder rows = new StringBuilder("<row r=\"1\">");
            for (int i = 0; i < h.length; i++) rows.append(cell((char) ('A' + i) + "1", h[i]));
            rows.append("</row><row r=\"2\">").append(cell("A2", id(3))).append(cell("B2", "张".repeat(700_000))).append("</row>");
            put(zip, "xl/worksheets/sheet1.xml", sheet(rows.toString()));
        }
        assertThatThrownBy(() -> BulkTestFiles.run(huge)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_XLSX_TOO_LARGE);
            assertThat(e.getMessage()).contains("第 2 行有一个单元格解压后超过 1,000,000 字节");
        });
        assertThatThrownBy(() -> BulkTestFiles.run(huge, ReadOptions.DEFAULT, Locale.ENGLISH)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("a cell in row 2 is more than 1,000,000 bytes once inflated"));
        assertThatThrownBy(() -> BulkFileReader.sheetNames(huge, ReadLimits.DEFAULT, Locale.SIMPLIFIED_CHINESE))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_XLSX_TOO_LARGE));
        // the same sheet under a name that does not end in .xml (fastexcel finds parts through the content types)
        Path renamed = dir.resolve("renamed.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(renamed))) {
            put(zip, "xl/data.bin", sheet("<row r=\"2\">" + cell("B2", "张".repeat(700_000)) + "</row>"));
        }
        assertThatThrownBy(() -> ZipGuard.check(renamed, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE)))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.getMessage()).contains("第 2 行有一个单元格解压后超过"));

        Path shared = workbook("shared.xlsx", "张".repeat(700_000)); // a shared string
        assertThatThrownBy(() -> BulkTestFiles.run(shared)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("有一段文字解压后超过 1,000,000 字节"));

        Path longCell = workbook("long.xlsx", "张".repeat(20_000));
        assertThatCode(() -> ZipGuard.check(longCell, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE))).doesNotThrowAnyException();
        BulkTestFiles.Collected c = BulkTestFiles.run(longCell);
        assertThat(c.problems).extracting(Problem::row, Problem::code).contains(org.assertj.core.groups.Tuple.tuple(2L, ProblemCode.FIELD_TOO_LONG));
    }

    /**
     * What the reader keeps for the whole workbook, its shared texts and styles, is bounded: a 14 MB workbook whose
     * 700,000 shared texts of 900 letters (one cell pointing at the last) ran a 512 MB heap out of memory.
     */
    @Test
    void aWorkbookWhoseSharedTextsOrStylesWouldFillTheHeapIsStopped() throws Exception {
        Path many = dir.resolve("many.xlsx");
        try (OutputStream out = Files.newOutputStream(many); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet ws = wb.newWorksheet("数据");
            String[] h = HEADER_ZH.split(",");
            for (int i = 0; i < h.length; i++) ws.value(0, i, h[i]);
            for (int r = 1; r <= 20_000; r++) {
                ws.value(r, 0, id(r));
                ws.value(r, 1, "学员" + r + "-".repeat(20));
            }
        }
        ReadLimits oneMb = ReadLimits.DEFAULT.withXlsxHeldBytes(1024 * 1024);
        assertThatThrownBy(() -> BulkTestFiles.run(many, ReadOptions.DEFAULT.withLimits(oneMb), Locale.SIMPLIFIED_CHINESE))
                .isInstanceOfSatisfying(BulkFileException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.FILE_XLSX_TOO_LARGE);
                    assertThat(e.getMessage()).contains("工作簿中的文字和格式过多，读取需要超过 1 MB 内存").contains("另存为“CSV UTF-8（逗号分隔）”");
                });
        assertThatThrownBy(() -> BulkTestFiles.run(many, ReadOptions.DEFAULT.withLimits(oneMb), Locale.ENGLISH))
                .isInstanceOfSatisfying(BulkFileException.class,
                        e -> assertThat(e.getMessage()).contains("too much text and formatting to read (it would need more than 1 MB of memory)"));
        assertThatThrownBy(() -> BulkFileReader.sheetNames(many, oneMb, Locale.SIMPLIFIED_CHINESE))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_XLSX_TOO_LARGE));
        // the same workbook with the default cap (a quarter of the heap) is read to its last row
        assertThat(ReadLimits.DEFAULT.maxXlsxHeldBytes()).isGreaterThanOrEqualTo(64L * 1024 * 1024);
        assertThatCode(() -> ZipGuard.check(many, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE))).doesNotThrowAnyException();
        assertThat(BulkTestFiles.run(many).summary.rows()).isEqualTo(20_000);

        // styles: 30,000 cell formats (Excel allows about 64,000) take 48 bytes each at least
        Path styled = dir.resolve("styled.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(styled))) {
            put(zip, "xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    + "<cellXfs count=\"30000\">" + "<xf numFmtId=\"0\" fontId=\"0\"/>".repeat(30_000) + "</cellXfs></styleSheet>");
        }
        assertThatThrownBy(() -> ZipGuard.check(styled, oneMb, Messages.of(Locale.SIMPLIFIED_CHINESE)))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.getMessage()).contains("文字和格式过多"));
        assertThatCode(() -> ZipGuard.check(styled, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE))).doesNotThrowAnyException();
    }

    /**
     * Besides shared texts and formats, fastexcel keeps every sheet and relationship of the workbook and each shared or
     * array formula (an f with a ref) for the whole read; and a cell referring to a shared text past the end of the
     * table made it add an empty text for every number up to it (a few hundred bytes of XML ran any heap out of memory).
     */
    @Test
    void whatElseTheReaderKeepsIsCountedAndASharedTextPastTheTableIsRefused() throws Exception {
        ReadLimits oneMb = ReadLimits.DEFAULT.withXlsxHeldBytes(1024 * 1024);
        Messages zh = Messages.of(Locale.SIMPLIFIED_CHINESE);

        // shared texts by number: one past the table, one by an entity or in CDATA, one through t written as an entity
        String header = "<row r=\"1\">" + cell("A1", "身份证号") + "</row>";
        Path pastTheEnd = zip("past.xlsx", "xl/sharedStrings.xml", "<sst><si><t>张三</t></si></sst>",
                "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>2000000000</v></c></row>"));
        assertThatThrownBy(() -> BulkTestFiles.run(pastTheEnd)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_UNREADABLE);
            assertThat(e.getMessage()).contains("工作簿已损坏：第 2 行附近的单元格引用了编号为 2000000000 的共享字符串，而工作簿只有 1 个共享字符串");
        });
        assertThatThrownBy(() -> BulkTestFiles.run(pastTheEnd, ReadOptions.DEFAULT, Locale.ENGLISH)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("a cell near row 2 refers to shared string number 2000000000, and the workbook has only 1 shared strings"));
        for (String value : List.of("<v>&#50;</v>", "<v><![CDATA[0]]></v>", "<v>0<!-- -->0</v>", "<v>1234567890123</v>", "<v><v></v>2000000000</v>")) {
            Path f = zip("v.xlsx", "xl/sharedStrings.xml", "<sst><si><t>张三</t></si></sst>",
                    "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"3\"><c r=\"B3\" t=\"s\">" + value + "</c></row>"));
            assertThatThrownBy(() -> ZipGuard.check(f, ReadLimits.DEFAULT, zh)).as(value).isInstanceOfSatisfying(BulkFileException.class,
                    e -> assertThat(e.getMessage()).containsAnyOf("第 3 行附近的单元格所引用的共享字符串编号不是数字", "编号为 1234567890123"));
        }
        Path entityType = zip("t.xlsx", "xl/sharedStrings.xml", "<sst><si><t>张三</t></si></sst>",
                "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\"><c r=\"B2\" t=\"&#115;\"><v>7</v></c></row>"));
        assertThatThrownBy(() -> ZipGuard.check(entityType, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("编号为 7 的共享字符串"));
        // what Excel writes passes: the last text of the table, a string result, a number, sheets before the table
        Path fine = zip("fine.xlsx", "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c>"
                        + "<c r=\"B2\" t=\"str\"><f>A2</f><v>abc</v></c><c r=\"C2\"><v>99999</v></c><c r=\"D2\" t=\"s\"/></row>"),
                "xl/sharedStrings.xml", "<sst><si><t>张三</t></si><si><r><t>李</t></r><r><t>四</t></r></si></sst>");
        assertThatCode(() -> ZipGuard.check(fine, ReadLimits.DEFAULT, zh)).doesNotThrowAnyException();
        // the boundary: number 1 of a table of one is past its end
        Path oneTooFar = zip("one.xlsx", "xl/sharedStrings.xml", "<sst><si><t>张三</t></si></sst>",
                "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c></row>"));
        assertThatThrownBy(() -> ZipGuard.check(oneTooFar, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("编号为 1 的共享字符串，而工作簿只有 1 个"));
        // a shared cell inside a cell that is not (fastexcel reads it as a cell of its own), and a second t, are seen
        for (String cells : List.of("<c r=\"A2\"><c r=\"B2\"/><c r=\"C2\" t=\"s\"><v>2000000000</v></c></c>",
                "<c r=\"B2\" t=\"s\" x:t=\"n\" xmlns:x=\"urn:x\"><v>2000000000</v></c>",
                "<c r=\"B2\" x:t=\"n\" t=\"s\" xmlns:x=\"urn:x\"><v>2000000000</v></c>")) {
            Path f = zip("nested.xlsx", "xl/sharedStrings.xml", "<sst><si><t>张三</t></si></sst>",
                    "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\">" + cells + "</row>"));
            assertThatThrownBy(() -> ZipGuard.check(f, ReadLimits.DEFAULT, zh)).as(cells).isInstanceOfSatisfying(BulkFileException.class,
                    e -> assertThat(e.getMessage()).contains("编号为 2000000000 的共享字符串"));
        }
        // two parts of one name (fastexcel's zip reader takes the first, matching names whatever their case)
        for (String second : List.of("xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml")) {
            Path twice = dir.resolve("twice.xlsx");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(twice))) {
                put(zip, "xl/worksheets/sheet1.xml", sheet(header + "<row r=\"2\">" + cell("B2", "张三") + "</row>"));
                // java.util.zip writes no name twice: the second is written as sheetZ and renamed in the bytes below
                put(zip, second.equals("xl/worksheets/sheet1.xml") ? "xl/worksheets/sheetZ.xml" : second, sheet(header));
            }
            byte[] bytes = Files.readAllBytes(twice);
            byte[] from = "sheetZ.xml".getBytes(StandardCharsets.US_ASCII), to = "sheet1.xml".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + from.length <= bytes.length; i++) {
                if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) System.arraycopy(to, 0, bytes, i, to.length);
            }
            Files.write(twice, bytes);
            assertThatThrownBy(() -> ZipGuard.check(twice, ReadLimits.DEFAULT, zh)).as(second).isInstanceOfSatisfying(BulkFileException.class,
                    e -> assertThat(e.getMessage()).contains("其中有两个同名的部件（" + second + "）"));
        }

        // shared formulas (kept until the sheet is read) count; the cells that only point at them do not
        StringBuilder masters = new StringBuilder(header), followers = new StringBuilder(header);
        for (int r = 2; r < 602; r++) {
            masters.append("<row r=\"").append(r).append("\"><c r=\"A").append(r).append("\"><f t=\"shared\" ref=\"A").append(r).append(":A")
                    .append(r + 1).append("\" si=\"").append(r).append("\">").append("1+".repeat(500)).append("1</f></c></row>");
            followers.append("<row r=\"").append(r).append("\"><c r=\"A").append(r).append("\"><f>").append("1+".repeat(500)).append("1</f></c></row>");
        }
        Path shared = zip("shared.xlsx", "xl/worksheets/sheet1.xml", sheet(masters.toString()));
        assertThatThrownBy(() -> ZipGuard.check(shared, oneMb, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("文字和格式过多"));
        Path plain = zip("plain.xlsx", "xl/worksheets/sheet1.xml", sheet(followers.toString()));
        assertThatCode(() -> ZipGuard.check(plain, oneMb, zh)).doesNotThrowAnyException();

        // the workbook's sheets and relationships; a format's number as long as a tag
        StringBuilder sheets = new StringBuilder("<workbook><sheets>"), rels = new StringBuilder("<Relationships>");
        for (int i = 1; i <= 20_000; i++) {
            sheets.append("<sheet name=\"s").append(i).append("\" sheetId=\"").append(i).append("\" r:id=\"rId").append(i).append("\"/>");
            rels.append("<Relationship Id=\"rId").append(i).append("\" Type=\"x\" Target=\"worksheets/sheet").append(i).append(".xml\"/>");
        }
        for (Path f : List.of(zip("sheets.xlsx", "xl/workbook.xml", sheets + "</sheets></workbook>"),
                zip("rels.xlsx", "xl/_rels/workbook.xml.rels", rels + "</Relationships>"),
                zip("xf.xlsx", "xl/styles.xml", "<styleSheet><cellXfs><xf numFmtId=\"" + "9".repeat(600_000) + "\"/></cellXfs></styleSheet>"))) {
            assertThatThrownBy(() -> ZipGuard.check(f, oneMb, zh)).as(f.getFileName().toString()).isInstanceOfSatisfying(BulkFileException.class,
                    e -> assertThat(e.getMessage()).contains("文字和格式过多"));
            assertThatCode(() -> ZipGuard.check(f, ReadLimits.DEFAULT, zh)).doesNotThrowAnyException();
        }
    }

    /**
     * One file, two central directories: java.util.zip takes the last end record only if its comment reaches the end
     * of the file, or if a local header is where the record says the entries begin (else it looks further back);
     * commons-compress (fastexcel's zip reader) takes the last whatever its comment.
     * The guard reads what fastexcel reads: here a sheet with a cell of 700,000 characters, hidden behind a harmless one.
     */
    @Test
    void theGuardReadsTheEntriesFastexcelsZipReaderReads() throws Exception {
        byte[] a = Files.readAllBytes(zip("a.xlsx", "xl/worksheets/sheet1.xml", sheet("<row r=\"1\">" + cell("A1", "身份证号") + "</row>")));
        byte[] b = Files.readAllBytes(zip("b.xlsx", "xl/worksheets/sheet1.xml", sheet("<row r=\"2\">" + cell("B2", "张".repeat(700_000)) + "</row>")));
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int eocdB = b.length - 22, cdLenB = bb.getInt(eocdB + 12), cdOffB = bb.getInt(eocdB + 16);
        int base = a.length; // B's entries follow A's end record, inside its comment
        int skew = 1; // B's record says its entries begin one byte into the file, where java.util.zip finds no local header
        byte[] cdB = java.util.Arrays.copyOfRange(b, cdOffB, cdOffB + cdLenB);
        java.nio.ByteBuffer cd = java.nio.ByteBuffer.wrap(cdB).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < cdB.length; p += 46 + cd.getShort(p + 28) + cd.getShort(p + 30) + cd.getShort(p + 32)) {
            assertThat(cd.getInt(p)).isEqualTo(0x02014b50);
            cd.putInt(p + 42, cd.getInt(p + 42) + base - skew);
        }
        byte[] endB = java.util.Arrays.copyOfRange(b, eocdB, b.length);
        java.nio.ByteBuffer end = java.nio.ByteBuffer.wrap(endB).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        end.putInt(16, base + cdOffB - skew);
        end.putShort(20, (short) 1); // a comment that does not reach the end of the file: java.util.zip looks further back
        java.io.ByteArrayOutputStream comment = new java.io.ByteArrayOutputStream();
        comment.write(b, 0, cdOffB);
        comment.write(cdB);
        comment.write(endB);
        assertThat(comment.size()).isLessThan(65_536);
        byte[] polyglot = java.util.Arrays.copyOf(a, a.length + comment.size());
        java.nio.ByteBuffer.wrap(polyglot).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(a.length - 2, (short) comment.size());
        System.arraycopy(comment.toByteArray(), 0, polyglot, a.length, comment.size());
        Path f = dir.resolve("polyglot.xlsx");
        Files.write(f, polyglot);
        // the two readers do see different entries in it
        try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(f.toFile());
             org.apache.commons.compress.archivers.zip.ZipFile commons = org.apache.commons.compress.archivers.zip.ZipFile.builder().setFile(f.toFile()).get()) {
            long jdkSize = jdk.getEntry("xl/worksheets/sheet1.xml").getSize();
            long commonsSize = commons.getEntry("xl/worksheets/sheet1.xml").getSize();
            assertThat(commonsSize).isGreaterThan(2_000_000).isNotEqualTo(jdkSize);
        }
        assertThatThrownBy(() -> ZipGuard.check(f, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE)))
                .isInstanceOfSatisfying(BulkFileException.class, e -> assertThat(e.getMessage()).contains("第 2 行有一个单元格解压后超过 1,000,000 字节"));
        // a CSV saved under .xlsx, an empty file, and a workbook cut in half are told as what they are
        Path csv = Files.writeString(dir.resolve("renamed.xlsx"), HEADER_ZH + "\n");
        Path empty = Files.write(dir.resolve("empty.xlsx"), new byte[0]);
        Path cut = Files.write(dir.resolve("cut.xlsx"), java.util.Arrays.copyOf(a, a.length / 2));
        for (Path p : List.of(csv, empty, cut)) {
            assertThatThrownBy(() -> ZipGuard.check(p, ReadLimits.DEFAULT, Messages.of(Locale.SIMPLIFIED_CHINESE))).as(p.getFileName().toString())
                    .isInstanceOfSatisfying(BulkFileException.class, e -> {
                        assertThat(e.code()).isEqualTo(ProblemCode.FILE_UNREADABLE);
                        assertThat(e.getMessage()).contains("不是有效的 XLSX 文件（XLSX 是 ZIP 压缩包）");
                    });
        }
    }

    /**
     * The zip reader parses its whole directory when it opens, before any entry is counted: the directory records a
     * file may hold are bounded first, by the signatures in it. Damaged archives are told in the clerk's language,
     * without the path, whatever the reader throws.
     */
    @Test
    void directoryRecordsAreBoundedBeforeOpeningAndDamagedArchivesAreToldPlainly() throws Exception {
        Messages zh = Messages.of(Locale.SIMPLIFIED_CHINESE);
        // signatures counted across the reads of the pass (256 KB each), one straddling each boundary
        byte[] bytes = new byte[1_000_000];
        int[] at = {0, 262_142, 524_287, 786_429, 999_996};
        for (int p : at) System.arraycopy(new byte[] {'P', 'K', 1, 2}, 0, bytes, p, 4);
        bytes[262_142 + 28] = 20; // the record across the first boundary announces a name of 20 bytes, 1,000 of extra
        bytes[262_142 + 30] = (byte) 0xE8; // fields and a comment of 300
        bytes[262_142 + 31] = 3;
        bytes[262_142 + 32] = 44;
        bytes[262_142 + 33] = 1;
        Path sigs = Files.write(dir.resolve("sigs.bin"), bytes);
        assertThat(ZipGuard.directory(sigs)).isEqualTo(new ZipGuard.Directory(at.length, 1_000, 250L * 250, 20, 300));

        // 25,000 directory signatures (a stored part full of them stands in for a directory of 25,000 records)
        Path many = dir.resolve("many-records.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(many))) {
            byte[] data = new byte[25_000 * 4];
            for (int i = 0; i < data.length; i += 4) System.arraycopy(new byte[] {'P', 'K', 1, 2}, 0, data, i, 4);
            putStored(zip, "xl/media/image1.bin", data);
        }
        assertThatThrownBy(() -> ZipGuard.check(many, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("包含超过 10,000 个条目"));

        // a chance signature announcing 64 KB of extra fields (in an image, say) is no reason to refuse a workbook
        Path chance = dir.resolve("chance.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(chance))) {
            put(zip, "xl/worksheets/sheet1.xml", sheet("<row r=\"1\">" + cell("A1", "身份证号") + "</row>"));
            byte[] image = new byte[40];
            System.arraycopy(new byte[] {'P', 'K', 1, 2}, 0, image, 0, 4);
            image[30] = (byte) 0xFF;
            image[31] = (byte) 0xFF;
            putStored(zip, "xl/media/image1.jpeg", image);
        }
        assertThatCode(() -> ZipGuard.check(chance, ReadLimits.DEFAULT, zh)).doesNotThrowAnyException();
        // extra fields: 300 entries of 4,000 bytes of empty fields each (the reader makes an object of every one), and
        // 5 entries with 60,000 bytes of them (it merges them one by one, looking through those it has each time)
        for (int[] shape : new int[][] {{300, 4_000}, {5, 60_000}}) {
            Path extra = dir.resolve("extra.xlsx");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(extra))) {
                byte[] fields = new byte[shape[1]];
                for (int i = 0; i < fields.length; i += 4) { fields[i] = (byte) 0x99; fields[i + 1] = (byte) (i / 4); }
                for (int i = 0; i < shape[0]; i++) {
                    ZipEntry e = new ZipEntry("xl/media/image" + i + ".png");
                    e.setExtra(fields);
                    zip.putNextEntry(e);
                    zip.write(new byte[] {1});
                }
            }
            assertThatThrownBy(() -> ZipGuard.check(extra, ReadLimits.DEFAULT, zh)).as("%d × %d", shape[0], shape[1])
                    .isInstanceOfSatisfying(BulkFileException.class,
                            e -> assertThat(e.getMessage()).contains(shape[0] == 300 ? "其中的附加字段超过 1,048,576 字节" : "其中的附加字段超过 4,096 字节"));
        }
        // the same in the local headers only (the directory's records carry none): 5,000 bytes in one, 1.2 MB in all
        for (int[] shape : new int[][] {{1, 5_000}, {300, 4_000}}) {
            Path local = dir.resolve("local-extra.xlsx");
            try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(local)) {
                for (int i = 0; i < shape[0]; i++) {
                    var entry = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("xl/media/image" + i + ".png");
                    var field = new org.apache.commons.compress.archivers.zip.UnrecognizedExtraField();
                    field.setHeaderId(new org.apache.commons.compress.archivers.zip.ZipShort(0x9999));
                    field.setLocalFileDataData(new byte[shape[1] - 4]);
                    field.setCentralDirectoryData(new byte[0]);
                    entry.addExtraField(field);
                    zip.putArchiveEntry(entry);
                    zip.write(new byte[] {1});
                    zip.closeArchiveEntry();
                }
            }
            assertThat(ZipGuard.directory(local).extraBytes()).as("the directory's records carry only the fields' headers").isLessThanOrEqualTo(4L * shape[0]);
            assertThatThrownBy(() -> ZipGuard.check(local, ReadLimits.DEFAULT, zh)).as("local %d × %d", shape[0], shape[1])
                    .isInstanceOfSatisfying(BulkFileException.class,
                            e -> assertThat(e.getMessage()).contains(shape[0] == 1 ? "其中的附加字段超过 4,096 字节" : "其中的附加字段超过 1,048,576 字节"));
        }
        // a name of 60,000 bytes on each of 80 entries
        Path names = dir.resolve("names.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(names))) {
            for (int i = 0; i < 80; i++) {
                zip.putNextEntry(new ZipEntry(i + "x".repeat(60_000)));
                zip.write(new byte[] {1});
            }
        }
        assertThatThrownBy(() -> ZipGuard.check(names, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("其中的部件名称超过 4,194,304 字节"));
        // two entries of the directory pointing at one local header (the reader parses its extra fields for each)
        byte[] two = Files.readAllBytes(zip("two.xlsx", "xl/worksheets/sheet1.xml", sheet(""), "xl/worksheets/sheet2.xml", sheet("")));
        java.nio.ByteBuffer t = java.nio.ByteBuffer.wrap(two).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cd = t.getInt(two.length - 22 + 16);
        int second = cd + 46 + t.getShort(cd + 28) + t.getShort(cd + 30) + t.getShort(cd + 32);
        t.putInt(second + 42, t.getInt(cd + 42));
        Path shared = Files.write(dir.resolve("shared-header.xlsx"), two);
        assertThatThrownBy(() -> ZipGuard.check(shared, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.getMessage()).contains("有两个部件指向同一处数据（xl/worksheets/sheet2.xml）"));
        // a file over the size cap is refused before anything is read (the sheet names are listed through this check)
        assertThatThrownBy(() -> ZipGuard.check(shared, ReadLimits.DEFAULT.withMaxFileBytes(100), zh)).isInstanceOfSatisfying(BulkFileException.class,
                e -> assertThat(e.code()).isEqualTo(ProblemCode.FILE_TOO_LARGE));

        // a damaged directory record, and a compression method no reader knows
        byte[] good = Files.readAllBytes(zip("good.xlsx", "xl/worksheets/sheet1.xml", sheet("<row r=\"1\">" + cell("A1", "身份证号") + "</row>")));
        java.nio.ByteBuffer g = java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int cdOff = g.getInt(good.length - 22 + 16);
        byte[] badRecord = good.clone();
        badRecord[cdOff + 2] = 9; // PK\9\2
        byte[] badMethod = good.clone();
        java.nio.ByteBuffer.wrap(badMethod).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 99).putShort(cdOff + 10, (short) 99);
        for (byte[] damaged : List.of(badRecord, badMethod)) {
            Path f = Files.write(dir.resolve("damaged.xlsx"), damaged);
            assertThatThrownBy(() -> ZipGuard.check(f, ReadLimits.DEFAULT, zh)).isInstanceOfSatisfying(BulkFileException.class, e -> {
                assertThat(e.code()).isEqualTo(ProblemCode.FILE_UNREADABLE);
                assertThat(e.getMessage()).startsWith("无法读取文件：").doesNotContain(dir.toString());
            });
        }
    }

    /** What fastexcel throws on a damaged sheet while it reads a row is told to the clerk as a damaged file. */
    @Test
    void aSharedFormulaWithoutItsMasterIsADamagedFileNotACrash() throws Exception {
        Path made = workbook("made.xlsx", "张三");
        Path broken = dir.resolve("broken.xlsx");
        String[] h = HEADER_ZH.split(",");
        StringBuilder header = new StringBuilder("<row r=\"1\">");
        for (int i = 0; i < h.length; i++) header.append(cell((char) ('A' + i) + "1", h[i]));
        header.append("</row>");
        try (java.util.zip.ZipFile src = new java.util.zip.ZipFile(made.toFile());
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(broken))) {
            for (var en = src.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("xl/worksheets/sheet1.xml")) {
                    zip.write(sheet(header + "<row r=\"2\"><c r=\"A2\"><f t=\"shared\" si=\"7\"/><v>1</v></c></row>").getBytes(StandardCharsets.UTF_8));
                } else {
                    try (var in = src.getInputStream(e)) { in.transferTo(zip); }
                }
            }
        }
        assertThatThrownBy(() -> BulkTestFiles.run(broken)).isInstanceOfSatisfying(BulkFileException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.FILE_UNREADABLE);
            assertThat(e.getMessage()).startsWith("无法读取文件：内容有误");
        });
    }

    /** An entry stored as it is (not deflated), so that its bytes are in the file. */
    private static void putStored(ZipOutputStream zip, String name, byte[] data) throws java.io.IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
    }

    /** A zip of the given entries: name, text, name, text... */
    private Path zip(String file, String... entries) throws java.io.IOException {
        Path f = dir.resolve(file);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < entries.length; i += 2) put(zip, entries[i], entries[i + 1]);
        }
        return f;
    }

    /** The estimate is shared by every part of the workbook, and counts each shared text (also an empty one) and format once. */
    @Test
    void theHeldEstimateAddsUpAcrossParts() throws XlsxMarkupGuard.TooLarge {
        XlsxMarkupGuard.Held held = new XlsxMarkupGuard.Held(Long.MAX_VALUE);
        String sst = "<sst><si><t>ab</t></si><si/><si><r><t>c</t></r><r><t>d</t></r></si></sst>";
        String styles = "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\"/></numFmts><cellXfs><xf/><xf numFmtId=\"164\"></xf></cellXfs>"
                + "<dxfs><dxf/></dxfs></styleSheet>";
        for (String part : List.of(sst, styles)) {
            byte[] b = part.getBytes(StandardCharsets.US_ASCII);
            XlsxMarkupGuard g = new XlsxMarkupGuard(1_000, 10_000, 10_000, held);
            for (int off = 0; off < b.length; off += 3) g.feed(b, off, Math.min(3, b.length - off));
        }
        long texts = 3 * 48 + 2 * ("<si><t>ab</t></si>".length() + "<si><r><t>c</t></r><r><t>d</t></r></si>".length());
        long formats = 48 + 2 * "<numFmt numFmtId=\"164\" formatCode=\"yyyy\"/>".length() + 48 + 2 * "<xf/>".length()
                + 48 + 2 * "<xf numFmtId=\"164\">".length();
        assertThat(held.bytes()).isEqualTo(texts + formats);

        XlsxMarkupGuard.Held exact = new XlsxMarkupGuard.Held(texts);
        byte[] whole = sst.getBytes(StandardCharsets.US_ASCII);
        assertThatCode(() -> new XlsxMarkupGuard(1_000, 10_000, 10_000, exact).feed(whole, 0, whole.length)).doesNotThrowAnyException();
        XlsxMarkupGuard.Held nested = new XlsxMarkupGuard.Held(Long.MAX_VALUE);
        byte[] inner = "<sst><si><si><t>a</t></si><si><t>b</t></si></si></sst>".getBytes(StandardCharsets.US_ASCII);
        new XlsxMarkupGuard(1_000, 10_000, 10_000, nested).feed(inner, 0, inner.length);
        assertThat(nested.bytes()).as("one item per si, the outermost with its bytes").isEqualTo(3 * 48 + 2 * ("<si><si><t>a</t></si><si><t>b</t></si></si>".length()));

        XlsxMarkupGuard.Held small = new XlsxMarkupGuard.Held(texts - 1);
        byte[] b = sst.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new XlsxMarkupGuard(1_000, 10_000, 10_000, small).feed(b, 0, b.length))
                .isInstanceOfSatisfying(XlsxMarkupGuard.TooLarge.class, t -> assertThat(t.what).isEqualTo(XlsxMarkupGuard.TooLarge.What.HELD));
    }

    /** A workbook (written by fastexcel, as Excel does: text as shared strings) with one row whose name is {@code name}. */
    private Path workbook(String file, String name) throws java.io.IOException {
        Path f = dir.resolve(file);
        String[] h = HEADER_ZH.split(",");
        try (OutputStream out = Files.newOutputStream(f); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet ws = wb.newWorksheet("数据");
            for (int i = 0; i < h.length; i++) ws.value(0, i, h[i]);
            ws.value(1, 0, id(3));
            ws.value(1, 1, name);
        }
        return f;
    }

    private static void put(ZipOutputStream zip, String name, String text) throws java.io.IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
