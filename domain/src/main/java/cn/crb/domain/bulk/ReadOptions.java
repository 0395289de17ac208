package cn.crb.domain.bulk;

/**
 * How to read a file: an encoding chosen by the clerk instead of the detected one (null: detected), a CSV delimiter
 * (null: detected from the header line, tab when it has more tabs than commas), an XLSX sheet name (null: the first
 * sheet), the caps, and the clerk's mapping of the file's columns onto fields ({@link ColumnMapping#AUTOMATIC}: by
 * the headers).
 */
public record ReadOptions(TextEncoding encoding, Character delimiter, String sheet, ReadLimits limits, ColumnMapping mapping) {
    public static final ReadOptions DEFAULT = new ReadOptions(null, null, null, ReadLimits.DEFAULT, ColumnMapping.AUTOMATIC);

    public ReadOptions {
        limits = limits == null ? ReadLimits.DEFAULT : limits;
        mapping = mapping == null ? ColumnMapping.AUTOMATIC : mapping;
    }

    public ReadOptions withEncoding(TextEncoding e) { return new ReadOptions(e, delimiter, sheet, limits, mapping); }

    public ReadOptions withDelimiter(Character d) { return new ReadOptions(encoding, d, sheet, limits, mapping); }

    public ReadOptions withSheet(String s) { return new ReadOptions(encoding, delimiter, s, limits, mapping); }

    public ReadOptions withLimits(ReadLimits l) { return new ReadOptions(encoding, delimiter, sheet, l, mapping); }

    public ReadOptions withMapping(ColumnMapping m) { return new ReadOptions(encoding, delimiter, sheet, limits, m); }
}
