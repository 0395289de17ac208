package cn.crb.domain.bulk;

/**
 * Watches the inflated bytes of one XML part of an XLSX on {@link ZipGuard}'s pass, before any XML parser sees them,
 * and stops a workbook whose one cell, shared text or row is larger than a cap (or one tag, whose attributes the
 * parser would hold at once). The zip caps bound the whole file; these bound what the reader builds in memory at a
 * time: a single 500 MB cell under the 2 GB inflated cap would otherwise be one string of a billion characters.
 *
 * <p>A byte-level tokenizer, not a parser: it knows tags (with quoted attribute values, which may hold {@code >}),
 * comments, CDATA sections, processing instructions and declarations, so that none of these can hide an end tag or a
 * start tag from it. Elements are told by their local name (any namespace prefix), and nested ones of the same name
 * count from the outermost. Cells larger than {@link ReadLimits#maxFieldChars()} characters but under the cap are
 * still read and reported per row ({@code FIELD_TOO_LONG}); nothing is materialized here.
 */
final class XlsxMarkupGuard {
    /** What was too large, with the Excel row where known (0 otherwise). */
    static final class TooLarge extends Exception {
        /**
         * CELL, ROW, TEXT, TAG: over {@code cap} bytes; CELLS: over {@code cap} cells in one row; ADDRESS: a cell or row
         * address outside Excel's sheet ({@code address}); DECLARATION: a {@code <!DOCTYPE} in a part with rows, cells or
         * shared texts, which Excel never writes (its entities could make a cell larger than its bytes); ENCODING: a
         * part in UTF-32; HELD: what a reader keeps for the whole sheet (shared texts, formats, sheets, relationships,
         * shared formulas) would take more than {@code cap} bytes of memory; SHARED_INDEX: a cell refers to shared
         * text number {@code address} (counted from 0, or "?" when it is not plain digits) and the workbook has only
         * {@code cap}.
         */
        enum What { CELL, ROW, TEXT, TAG, CELLS, ADDRESS, DECLARATION, ENCODING, HELD, SHARED_INDEX }

        final What what;
        final long row;
        final long cap;
        final String address;

        TooLarge(What what, long row, long cap) {
            this(what, row, cap, null);
        }

        TooLarge(What what, long row, long cap, String address) {
            super(what + " over " + cap + (row > 0 ? " in row " + row : "") + (address == null ? "" : " at " + address), null, false, false);
            this.what = what;
            this.row = row;
            this.cap = cap;
            this.address = address;
        }
    }

    /**
     * SNIFF: the part's first bytes, to tell its encoding; LEAD: before its first markup (a part that does not begin
     * with '<', after a byte-order mark and blanks, is not XML, and is not read further: IGNORED).
     */
    private enum State { SNIFF, LEAD, IGNORED, TEXT, LT, NAME, ATTRS, BANG, COMMENT, CDATA, PI, DECL, DOCTYPE }

    /** How the part's bytes reach the tokenizer: as they are, or each UTF-16 unit as one byte (non-ASCII as 'x'). */
    private enum Encoding { BYTES, UTF16_LE, UTF16_BE }

    /** Excel's last column (XFD) and last row: a reader sizes its row by the column of the cells' addresses. */
    static final int MAX_COLUMNS = 16_384;
    static final int MAX_ROWS = 1_048_576;

    /**
     * Rows, cells, a cell's value (v) and formula (f), shared texts (si); what a reader keeps for the whole workbook
     * besides: formats (xf, numFmt), sheets, relationships; anything else.
     */
    private enum Kind { ROW, CELL, VALUE, FORMULA, TEXT, XF, NUMBER_FORMAT, SHEET, RELATIONSHIP, OTHER }

    /**
     * What a reader keeps for the whole workbook, estimated as its parts stream by and shared by all of them
     * ({@link ZipGuard} makes one per file). fastexcel holds every shared text up to the last one a cell refers to, each
     * as a string in a list (and an empty one for each number past the end of the table); the formats of the styles
     * (each xf's numFmtId and each numFmt's code); every sheet and relationship of the workbook; and each shared or
     * array formula (an f with a ref) until the sheet is read. Estimated on the high side: 48 bytes for each of them,
     * and two bytes of memory per byte of its XML (a text of Latin letters and one Chinese character is held as UTF-16).
     * Besides, the highest shared-text number a cell refers to must be in the table ({@link #checkSharedIndex}).
     */
    static final class Held {
        static final int PER_ITEM = 48;
        private final long cap;
        private long bytes;
        private long sharedTexts;
        private long maxSharedIndex = -1;
        private long maxSharedIndexRow;

        Held(long cap) {
            this.cap = cap;
        }

        void add(long itemBytes, long row) throws TooLarge {
            bytes += PER_ITEM + 2 * itemBytes;
            if (bytes > cap) throw new TooLarge(TooLarge.What.HELD, row, cap);
        }

        long bytes() { return bytes; }

        void sharedText() { sharedTexts++; }

        void sharedIndex(long index, long row) {
            if (index > maxSharedIndex) {
                maxSharedIndex = index;
                maxSharedIndexRow = row;
            }
        }

        /**
         * Once every part is read: a cell that refers to a shared text past the end of the table (Excel never writes
         * one) would make fastexcel add an empty text for every number up to it — two billion of them for one cell.
         */
        void checkSharedIndex() throws TooLarge {
            if (maxSharedIndex >= sharedTexts) {
                throw new TooLarge(TooLarge.What.SHARED_INDEX, maxSharedIndexRow, sharedTexts,
                        maxSharedIndex == Long.MAX_VALUE ? "?" : String.valueOf(maxSharedIndex));
            }
        }
    }

    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] COMMENT_OPEN = "--".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DOCTYPE = "DOCTYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The longest address Excel writes is XFD1048576; one longer is refused. */
    private static final int ADDRESS_KEPT = 16;

    private final long cellCap;
    private final long rowCap;
    private final long tagCap;
    private final Held held;
    private final byte[] type = new byte[12];
    private int typeLen;

    private State state = State.SNIFF;
    private Encoding encoding = Encoding.BYTES;
    private final byte[] head = new byte[4];
    private int headLen;
    /** The first byte of a UTF-16 unit split between two calls, or -1. */
    private int pendingHalf = -1;
    private byte[] units = new byte[0];
    private long pos;
    private long tagStart;
    private boolean closing;
    private final byte[] name = new byte[16];
    private int nameLen;
    private boolean nameTooLong;
    /** The local name of the tag being read, once its name is complete: one of the elements counted, or none. */
    private Kind kind = Kind.OTHER;
    private byte quote;
    private byte lastNonSpace;
    private int bangLen;
    private final byte[] bang = new byte[CDATA_OPEN.length];
    private boolean sawDoctype;
    private byte dtQuote;
    private byte prev1;
    private byte prev2;

    private int rowDepth;
    private long rowStart;
    private long rowNumber;
    /** The attribute being read in a row's, a cell's or a formula's start tag: its local name, whether '=' came, its value if r or t. */
    private final byte[] attrName = new byte[5];
    private boolean namespaceDeclaration;
    private int attrNameLen;
    private boolean attrNameDone;
    private boolean attrEquals;
    /** Which attribute value is being kept: a row's or cell's r, or a cell's t. */
    private enum Capture { NONE, ADDRESS, TYPE }
    private Capture capture = Capture.NONE;
    private final byte[] address = new byte[ADDRESS_KEPT];
    private int addressLen;
    /** The t of the cell tag being read: whether it makes the cell's value a shared-text number. */
    private boolean tagShared;
    /** Whether the formula tag being read has a ref (a shared or an array formula, which a reader keeps). */
    private boolean tagRef;
    /** Whether the cell being read (outermost) refers to a shared text. */
    private boolean cellShared;
    /** The shared-text number being read in a shared cell's v: its value, digits, and whether it is plain digits. */
    private boolean indexCapture;
    /** The v elements open inside the one being read (a reader joins the text at every depth up to its end). */
    private int valueDepth;
    private long index;
    private int indexDigits;
    private boolean indexBad;
    private int formulaDepth;
    private long formulaStart;
    /** The r of the row tag being read, or -1. */
    private long rowAddress = -1;
    private int cellsInRow;
    private int cellDepth;
    private long cellStart;
    private int textDepth;
    private long textStart;

    XlsxMarkupGuard(long cellCap, long rowCap, long tagCap) {
        this(cellCap, rowCap, tagCap, new Held(Long.MAX_VALUE));
    }

    XlsxMarkupGuard(long cellCap, long rowCap, long tagCap, Held held) {
        this.cellCap = cellCap;
        this.rowCap = rowCap;
        this.tagCap = tagCap;
        this.held = held;
    }

    /**
     * The caps for {@code limits}: a cell or shared text of 100 bytes per allowed character, a row of 16 cells' worth,
     * and one tag as large as a row (a fragmented range list of a sheet's validation, an image embedded in an SVG's
     * attribute: a parser holds each attribute whole, but one of 16 MB is still small beside the heap).
     */
    static XlsxMarkupGuard forLimits(ReadLimits limits, Held held) {
        long cell = Math.max(64 * 1024, 100L * limits.maxFieldChars());
        return new XlsxMarkupGuard(cell, 16 * cell, 16 * cell, held);
    }

    /** Feeds the next {@code len} bytes of the part. */
    void feed(byte[] buf, int off, int len) throws TooLarge {
        if (state == State.SNIFF) {
            int take = Math.min(len, head.length - headLen);
            System.arraycopy(buf, off, head, headLen, take);
            headLen += take;
            if (headLen < head.length) return; // a part of fewer than 4 bytes holds nothing to fear
            off += take;
            len -= take;
            state = State.LEAD;
            int skip = sniff();
            decoded(head, skip, head.length - skip);
        }
        decoded(buf, off, len);
    }

    /** Tells the encoding from the first four bytes; returns how many of them are a byte-order mark. */
    private int sniff() throws TooLarge {
        int b0 = head[0] & 0xFF, b1 = head[1] & 0xFF, b2 = head[2] & 0xFF, b3 = head[3] & 0xFF;
        if ((b0 == 0 && b1 == 0 && ((b2 == 0xFE && b3 == 0xFF) || (b2 == 0 && b3 == '<'))) || (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0)
                || (b0 == '<' && b1 == 0 && b2 == 0 && b3 == 0)) {
            throw new TooLarge(TooLarge.What.ENCODING, 0, 0);
        }
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) return 3;
        if (b0 == 0xFE && b1 == 0xFF) { encoding = Encoding.UTF16_BE; return 2; }
        if (b0 == 0xFF && b1 == 0xFE) { encoding = Encoding.UTF16_LE; return 2; }
        if (b0 == '<' && b1 == 0) encoding = Encoding.UTF16_LE;
        if (b0 == 0 && b1 == '<') encoding = Encoding.UTF16_BE;
        return 0;
    }

    private void decoded(byte[] buf, int off, int len) throws TooLarge {
        if (state == State.IGNORED || len <= 0) return;
        if (encoding == Encoding.BYTES) {
            tokens(buf, off, len);
            return;
        }
        if (units.length < len / 2 + 1) units = new byte[len / 2 + 1];
        int n = 0;
        int i = off, end = off + len;
        if (pendingHalf >= 0) {
            units[n++] = unit(pendingHalf, buf[i++] & 0xFF);
            pendingHalf = -1;
        }
        for (; i + 1 < end; i += 2) units[n++] = unit(buf[i] & 0xFF, buf[i + 1] & 0xFF);
        if (i < end) pendingHalf = buf[i] & 0xFF;
        tokens(units, 0, n);
    }

    /** One UTF-16 unit as the tokenizer sees it: ASCII as itself, anything else as a letter. */
    private byte unit(int first, int second) {
        int u = encoding == Encoding.UTF16_LE ? first | second << 8 : first << 8 | second;
        return u < 0x80 ? (byte) u : (byte) 'x';
    }

    private void tokens(byte[] buf, int off, int len) throws TooLarge {
        for (int i = off, end = off + len; i < end; i++, pos++) {
            byte b = buf[i];
            switch (state) {
                case SNIFF, IGNORED -> { return; }
                case LEAD -> {
                    if (b == '<') {
                        state = State.LT;
                        tagStart = pos;
                    } else if (!isSpace(b)) {
                        state = State.IGNORED; // not XML: fastexcel cannot read it as a part either
                        return;
                    }
                }
                case TEXT -> {
                    if (b == '<') {
                        checkOpen();
                        state = State.LT;
                        tagStart = pos;
                    } else if (indexCapture) {
                        indexByte(b);
                    }
                }
                case LT -> {
                    if (indexCapture && b != '/') indexBad = true; // markup inside a shared cell's value (CDATA, a comment)
                    if (b == '/') {
                        closing = true;
                        startName();
                        state = State.NAME;
                    } else if (b == '!') {
                        bangLen = 0;
                        state = State.BANG;
                    } else if (b == '?') {
                        prev1 = 0;
                        state = State.PI;
                    } else {
                        closing = false;
                        startName();
                        state = State.NAME;
                        nameByte(b);
                    }
                }
                case NAME -> {
                    if (isSpace(b) || b == '>' || b == '/') {
                        kind = isLocal("row") ? Kind.ROW : isLocal("c") ? Kind.CELL : isLocal("v") ? Kind.VALUE
                                : isLocal("f") ? Kind.FORMULA : isLocal("si") ? Kind.TEXT
                                : isLocal("xf") ? Kind.XF : isLocal("numFmt") ? Kind.NUMBER_FORMAT
                                : isLocal("sheet") ? Kind.SHEET : isLocal("Relationship") ? Kind.RELATIONSHIP : Kind.OTHER;
                        state = State.ATTRS;
                        quote = 0;
                        lastNonSpace = 0;
                        attrByte(b);
                    } else {
                        nameByte(b);
                    }
                }
                case ATTRS -> attrByte(b);
                case BANG -> {
                    // "<!--" opens a comment, "<![CDATA[" a CDATA section, "<!DOCTYPE" is refused; anything else (the
                    // conditional sections of a VML drawing, "<![if ...]>") is skipped up to its '>'
                    if (bangLen < bang.length) bang[bangLen] = b;
                    bangLen++;
                    if (isPrefix(COMMENT_OPEN)) {
                        if (bangLen == COMMENT_OPEN.length) state = State.COMMENT;
                    } else if (isPrefix(CDATA_OPEN)) {
                        if (bangLen == CDATA_OPEN.length) state = State.CDATA;
                    } else if (isPrefix(DOCTYPE)) {
                        if (bangLen == DOCTYPE.length) {
                            // skipped up to its '>' outside its quoted identifiers; a part that has one may hold no
                            // cell (an SVG image may), and none may have an internal subset (see doctypeByte)
                            state = State.DOCTYPE;
                            sawDoctype = true;
                            dtQuote = 0;
                        }
                    } else {
                        state = b == '>' ? State.TEXT : State.DECL;
                    }
                    prev1 = prev2 = 0;
                }
                case DECL -> {
                    if (b == '>') state = State.TEXT;
                }
                case DOCTYPE -> doctypeByte(b);
                case COMMENT -> {
                    if (b == '>' && prev1 == '-' && prev2 == '-') state = State.TEXT;
                    shift(b);
                }
                case CDATA -> {
                    if (b == '>' && prev1 == ']' && prev2 == ']') state = State.TEXT;
                    shift(b);
                }
                case PI -> {
                    if (b == '>' && prev1 == '?') state = State.TEXT;
                    prev1 = b;
                }
            }
        }
        checkOpen();
        if ((state == State.NAME || state == State.ATTRS) && pos - tagStart > tagCap) throw new TooLarge(TooLarge.What.TAG, rowNumber, tagCap);
    }

    /**
     * A byte of a document type declaration: its quoted identifiers, up to its '>'. An internal subset ('[') is
     * refused: where it ends depends on how a parser reads the quotes, comments and declarations inside it (Aalto and a
     * tokenizer that skips comments disagree), and a part the tokenizer lost track of could hide any cell.
     */
    private void doctypeByte(byte b) throws TooLarge {
        if (dtQuote != 0) {
            if (b == dtQuote) dtQuote = 0;
        } else if (b == '"' || b == '\'') {
            dtQuote = b;
        } else if (b == '[') {
            throw new TooLarge(TooLarge.What.DECLARATION, rowNumber, 0);
        } else if (b == '>') {
            state = State.TEXT;
        }
    }

    /** Whether the bytes after "<!" so far begin {@code open}. */
    private boolean isPrefix(byte[] open) {
        if (bangLen > open.length) return false;
        for (int i = 0; i < bangLen; i++) {
            if (bang[i] != open[i]) return false;
        }
        return true;
    }

    private void shift(byte b) {
        prev2 = prev1;
        prev1 = b;
    }

    private void startName() {
        nameLen = 0;
        nameTooLong = false;
        attrNameLen = 0;
        attrNameDone = false;
        attrEquals = false;
        namespaceDeclaration = false;
        capture = Capture.NONE;
        rowAddress = -1;
        tagShared = false;
        tagRef = false;
    }

    /** A byte of a shared cell's value: the shared text's number, plain digits (blanks around them allowed). */
    private void indexByte(byte b) {
        if (b >= '0' && b <= '9') {
            if (indexDigits++ < 12) index = index * 10 + (b - '0'); else indexBad = true;
        } else if (!isSpace(b)) {
            indexBad = true; // an entity (&#50;), or anything a reader would not take as the number written
        }
    }

    /** Keeps the local name only: a prefix of any length before ':' is dropped. */
    private void nameByte(byte b) {
        if (b == ':') {
            nameLen = 0;
            nameTooLong = false;
            return;
        }
        if (nameLen < name.length) {
            name[nameLen++] = b;
        } else {
            nameTooLong = true;
        }
    }

    private void attrByte(byte b) throws TooLarge {
        boolean tracked = (kind == Kind.ROW || kind == Kind.CELL || kind == Kind.FORMULA) && !closing;
        if (quote != 0) {
            if (b == quote) {
                quote = 0;
                if (capture == Capture.ADDRESS) addressRead();
                if (capture == Capture.TYPE) typeRead();
                capture = Capture.NONE;
            } else if (capture == Capture.ADDRESS) {
                if (addressLen >= ADDRESS_KEPT) throw new TooLarge(TooLarge.What.ADDRESS, rowNumber, MAX_COLUMNS, addressText());
                address[addressLen++] = b;
            } else if (capture == Capture.TYPE) {
                if (typeLen < type.length) type[typeLen++] = b; else typeLen = type.length + 1;
            }
            return;
        }
        if (tracked) attributeNameByte(b);
        if (b == '"' || b == '\'') {
            quote = b;
            // the value of an attribute by its local name, whatever its prefix (Aalto gives a reader asking for "t" only
            // the one without a namespace; taking every prefix is the side that cannot miss it)
            boolean named = tracked && attrEquals && !namespaceDeclaration;
            capture = Capture.NONE;
            if (named && kind != Kind.FORMULA && attrIs("r")) capture = Capture.ADDRESS;
            else if (named && kind == Kind.CELL && attrIs("t")) capture = Capture.TYPE;
            else if (named && kind == Kind.FORMULA && attrIs("ref")) tagRef = true;
            addressLen = 0;
            typeLen = 0;
            attrNameLen = 0;
            attrNameDone = false;
            attrEquals = false;
            namespaceDeclaration = false;
        } else if (b == '>') {
            if (pos - tagStart > tagCap) throw new TooLarge(TooLarge.What.TAG, rowNumber, tagCap);
            endTag(lastNonSpace == '/');
            state = State.TEXT;
            return;
        }
        if (!isSpace(b)) lastNonSpace = b;
    }

    private void endTag(boolean selfClosing) throws TooLarge {
        if (closing) {
            switch (kind) {
                case ROW -> { if (rowDepth > 0 && --rowDepth == 0) check(TooLarge.What.ROW, rowStart, rowCap); }
                case CELL -> {
                    if (cellDepth > 0 && --cellDepth == 0) {
                        check(TooLarge.What.CELL, cellStart, cellCap);
                        cellShared = false;
                        indexCapture = false; // a value never closed: not XML a reader takes
                        valueDepth = 0;
                    }
                }
                case VALUE -> {
                    if (indexCapture && --valueDepth == 0) {
                        indexCapture = false;
                        if (indexBad) held.sharedIndex(Long.MAX_VALUE, rowNumber);
                        else if (indexDigits > 0) held.sharedIndex(index, rowNumber);
                    }
                }
                case FORMULA -> { if (formulaDepth > 0 && --formulaDepth == 0) held.add(pos + 1 - formulaStart, rowNumber); }
                case TEXT -> {
                    if (textDepth > 0 && --textDepth == 0) {
                        check(TooLarge.What.TEXT, textStart, cellCap);
                        held.add(pos + 1 - textStart, 0);
                    }
                }
                case XF, NUMBER_FORMAT, SHEET, RELATIONSHIP, OTHER -> { }
            }
            return;
        }
        if (sawDoctype && kind != Kind.OTHER) throw new TooLarge(TooLarge.What.DECLARATION, rowNumber, 0);
        switch (kind) {
            case ROW -> {
                if (rowDepth == 0) {
                    rowNumber = rowAddress > 0 ? rowAddress : rowNumber + 1;
                    cellsInRow = 0;
                }
                if (!selfClosing && rowDepth++ == 0) rowStart = tagStart;
            }
            case CELL -> {
                // cells outside a row (the calculation chain lists every formula's cell) are not a row's
                if (rowDepth > 0 && ++cellsInRow > MAX_COLUMNS) throw new TooLarge(TooLarge.What.CELLS, rowNumber, MAX_COLUMNS);
                if (!selfClosing) {
                    if (cellDepth++ == 0) {
                        cellStart = tagStart;
                        cellShared = tagShared;
                    } else {
                        // a cell inside a cell (Excel never writes one): fastexcel reads it as a cell of its own, so any
                        // value inside the outermost is checked if any of them is shared
                        cellShared |= tagShared;
                    }
                }
            }
            case VALUE -> {
                if (selfClosing) {
                    // nothing to read
                } else if (indexCapture) {
                    valueDepth++; // a value inside a value (already not plain digits): read on to the outermost's end
                } else if (cellDepth > 0 && cellShared) {
                    indexCapture = true;
                    valueDepth = 1;
                    index = 0;
                    indexDigits = 0;
                    indexBad = false;
                }
            }
            case FORMULA -> {
                // a shared or an array formula (one with a ref) is kept until the sheet is read
                if (tagRef) {
                    if (selfClosing) held.add(pos + 1 - tagStart, rowNumber);
                    else if (formulaDepth++ == 0) formulaStart = tagStart;
                }
            }
            case TEXT -> {
                held.sharedText();
                if (selfClosing) {
                    held.add(0, 0);
                } else if (textDepth++ == 0) {
                    textStart = tagStart;
                } else {
                    held.add(0, 0); // a text inside a text: a reader makes an item of each
                }
            }
            // a format's number (kept in a list) or code (in a map), a sheet, a relationship: at most their tag
            case XF, NUMBER_FORMAT, SHEET, RELATIONSHIP -> held.add(pos + 1 - tagStart, rowNumber);
            case OTHER -> { }
        }
    }

    /** Follows the attribute names of a row's or a cell's start tag (outside quoted values), their local name only. */
    private void attributeNameByte(byte b) {
        if (isSpace(b)) {
            if (attrNameLen > 0) attrNameDone = true;
        } else if (b == '=') {
            attrEquals = true;
        } else if (b == ':') {
            // xmlns:r declares a namespace; any other prefix leaves the local name, which a reader asks for
            namespaceDeclaration = attrNameLen == 5 && attrName[0] == 'x' && attrName[1] == 'm' && attrName[2] == 'l'
                    && attrName[3] == 'n' && attrName[4] == 's';
            attrNameLen = 0;
        } else if (b != '"' && b != '\'' && b != '>' && b != '/') {
            if (attrNameDone || attrEquals) { // a new attribute begins
                attrNameLen = 0;
                attrNameDone = false;
                attrEquals = false;
                namespaceDeclaration = false;
            }
            if (attrNameLen < attrName.length) attrName[attrNameLen++] = b; else attrNameLen = attrName.length + 1;
        }
    }

    /**
     * The value of an r attribute is complete. A cell's must be what Excel writes, 1 to 3 letters of a column up to XFD
     * and a row from 1 to 1,048,576, and nothing else: fastexcel counts every character before the digits as a column
     * letter ("$ZZZZZZ1" would be column 321 million) and sizes the row by it. A row's is digits only, kept for its end.
     */
    private void addressRead() throws TooLarge {
        int i = 0;
        long column = 0;
        if (kind == Kind.CELL) {
            while (i < addressLen && i < 3 && isLetter(address[i])) column = column * 26 + ((address[i++] | 0x20) - 'a' + 1);
            if (i == 0 || column > MAX_COLUMNS) throw new TooLarge(TooLarge.What.ADDRESS, rowNumber, MAX_COLUMNS, addressText());
        }
        long row = 0;
        int digits = 0;
        for (; i < addressLen; i++, digits++) {
            byte c = address[i];
            if (c < '0' || c > '9' || digits >= 7) throw new TooLarge(TooLarge.What.ADDRESS, rowNumber, MAX_ROWS, addressText());
            row = row * 10 + (c - '0');
        }
        if (row < 1 || row > MAX_ROWS) throw new TooLarge(TooLarge.What.ADDRESS, rowNumber, MAX_ROWS, addressText());
        if (kind == Kind.ROW) rowAddress = row;
    }

    /**
     * The value of a cell's t: "s" makes its value a shared-text number; so does one with an entity (seen as written).
     * Any t among several makes it so (a reader takes the first without a namespace; this one does not tell them apart).
     */
    private void typeRead() {
        tagShared |= (typeLen == 1 && type[0] == 's') || (typeLen > 0 && typeLen <= type.length && contains(type, typeLen, (byte) '&'))
                || typeLen > type.length;
    }

    private static boolean contains(byte[] b, int len, byte x) {
        for (int i = 0; i < len; i++) if (b[i] == x) return true;
        return false;
    }

    private boolean attrIs(String local) {
        if (attrNameLen != local.length()) return false;
        for (int i = 0; i < attrNameLen; i++) {
            if (attrName[i] != local.charAt(i)) return false;
        }
        return true;
    }

    private String addressText() {
        return new String(address, 0, addressLen, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static boolean isLetter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    private void checkOpen() throws TooLarge {
        if (rowDepth > 0) check(TooLarge.What.ROW, rowStart, rowCap);
        if (cellDepth > 0) check(TooLarge.What.CELL, cellStart, cellCap);
        if (textDepth > 0) check(TooLarge.What.TEXT, textStart, cellCap);
    }

    private void check(TooLarge.What what, long start, long cap) throws TooLarge {
        if (pos - start > cap) throw new TooLarge(what, what == TooLarge.What.TEXT ? 0 : rowNumber, cap);
    }

    private boolean isLocal(String local) {
        if (nameTooLong || nameLen != local.length()) return false;
        for (int i = 0; i < local.length(); i++) {
            if (name[i] != local.charAt(i)) return false;
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
