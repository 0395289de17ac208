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
        enum What { CELL, ROW, TEXT, TAG }

        final What what;
        final long row;
        final long cap;

        TooLarge(What what, long row, long cap) {
            super(what + " over " + cap + " bytes" + (row > 0 ? " in row " + row : ""), null, false, false);
            this.what = what;
            this.row = row;
            this.cap = cap;
        }
    }

    private enum State { TEXT, LT, NAME, ATTRS, BANG, COMMENT, CDATA, PI, DECL }

    private enum Kind { ROW, CELL, TEXT, OTHER }

    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] COMMENT_OPEN = "--".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Bytes of a row's start tag kept to find its {@code r} attribute. */
    private static final int ROW_TAG_KEPT = 256;

    private final long cellCap;
    private final long rowCap;
    private final long tagCap;

    private State state = State.TEXT;
    private long pos;
    private long tagStart;
    private boolean closing;
    private final byte[] name = new byte[16];
    private int nameLen;
    private int localFrom;
    private boolean nameTooLong;
    /** The local name of the tag being read, once its name is complete: one of the elements counted, or none. */
    private Kind kind = Kind.OTHER;
    private byte quote;
    private byte lastNonSpace;
    private int bangLen;
    private final byte[] bang = new byte[CDATA_OPEN.length];
    private byte prev1;
    private byte prev2;

    private int rowDepth;
    private long rowStart;
    private long rowNumber;
    private final byte[] rowTag = new byte[ROW_TAG_KEPT];
    private int rowTagLen;
    private int cellDepth;
    private long cellStart;
    private int textDepth;
    private long textStart;

    XlsxMarkupGuard(long cellCap, long rowCap, long tagCap) {
        this.cellCap = cellCap;
        this.rowCap = rowCap;
        this.tagCap = tagCap;
    }

    /** The caps for {@code limits}: a cell or shared text of 100 bytes per allowed character, a row of 16 cells' worth. */
    static XlsxMarkupGuard forLimits(ReadLimits limits) {
        long cell = Math.max(64 * 1024, 100L * limits.maxFieldChars());
        return new XlsxMarkupGuard(cell, 16 * cell, cell);
    }

    /** Feeds the next {@code len} bytes of the part. */
    void feed(byte[] buf, int off, int len) throws TooLarge {
        for (int i = off, end = off + len; i < end; i++, pos++) {
            byte b = buf[i];
            switch (state) {
                case TEXT -> {
                    if (b == '<') {
                        checkOpen();
                        state = State.LT;
                        tagStart = pos;
                    }
                }
                case LT -> {
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
                        kind = isLocal("row") ? Kind.ROW : isLocal("c") ? Kind.CELL : isLocal("si") ? Kind.TEXT : Kind.OTHER;
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
                    // "<!--" opens a comment, "<![CDATA[" a CDATA section; anything else is a declaration up to '>'
                    if (bangLen < bang.length) bang[bangLen] = b;
                    bangLen++;
                    if (isPrefix(COMMENT_OPEN)) {
                        if (bangLen == COMMENT_OPEN.length) state = State.COMMENT;
                    } else if (isPrefix(CDATA_OPEN)) {
                        if (bangLen == CDATA_OPEN.length) state = State.CDATA;
                    } else {
                        state = b == '>' ? State.TEXT : State.DECL;
                    }
                    prev1 = prev2 = 0;
                }
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
                case DECL -> {
                    if (b == '>') state = State.TEXT;
                }
            }
        }
        checkOpen();
        if ((state == State.NAME || state == State.ATTRS) && pos - tagStart > tagCap) throw new TooLarge(TooLarge.What.TAG, rowNumber, tagCap);
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
        localFrom = 0;
        nameTooLong = false;
        rowTagLen = 0;
    }

    private void nameByte(byte b) {
        if (b == ':') {
            localFrom = nameLen + 1;
        }
        if (nameLen < name.length) {
            name[nameLen++] = b;
        } else {
            nameTooLong = true;
        }
    }

    private void attrByte(byte b) throws TooLarge {
        if (kind == Kind.ROW && !closing && rowTagLen < ROW_TAG_KEPT) rowTag[rowTagLen++] = b;
        if (quote != 0) {
            if (b == quote) quote = 0;
            return;
        }
        if (b == '"' || b == '\'') {
            quote = b;
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
                case CELL -> { if (cellDepth > 0 && --cellDepth == 0) check(TooLarge.What.CELL, cellStart, cellCap); }
                case TEXT -> { if (textDepth > 0 && --textDepth == 0) check(TooLarge.What.TEXT, textStart, cellCap); }
                case OTHER -> { }
            }
            return;
        }
        switch (kind) {
            case ROW -> {
                if (rowDepth == 0) rowNumber = rowAttribute();
                if (!selfClosing && rowDepth++ == 0) rowStart = tagStart;
            }
            case CELL -> { if (!selfClosing && cellDepth++ == 0) cellStart = tagStart; }
            case TEXT -> { if (!selfClosing && textDepth++ == 0) textStart = tagStart; }
            case OTHER -> { }
        }
    }

    /** The row's {@code r} attribute, or the row after the last one when it has none (as readers number them). */
    private long rowAttribute() {
        for (int i = 0; i + 2 < rowTagLen; i++) {
            if (rowTag[i] == 'r' && (i == 0 || isSpace(rowTag[i - 1]))) {
                int j = i + 1;
                while (j < rowTagLen && isSpace(rowTag[j])) j++;
                if (j >= rowTagLen || rowTag[j] != '=') continue;
                j++;
                while (j < rowTagLen && isSpace(rowTag[j])) j++;
                if (j >= rowTagLen || (rowTag[j] != '"' && rowTag[j] != '\'')) continue;
                long n = 0;
                int digits = 0;
                for (j++; j < rowTagLen && rowTag[j] >= '0' && rowTag[j] <= '9' && digits < 9; j++, digits++) n = n * 10 + (rowTag[j] - '0');
                if (digits > 0) return n;
            }
        }
        return rowNumber + 1;
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
        if (nameTooLong || nameLen - localFrom != local.length()) return false;
        for (int i = 0; i < local.length(); i++) {
            if (name[localFrom + i] != local.charAt(i)) return false;
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
