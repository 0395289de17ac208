package cn.crb.domain.bulk;

/**
 * How to read a file: an encoding chosen by the clerk instead of the detected one (null: detected), a CSV delimiter
 * (null: detected from the header line, tab when it has more tabs than commas), an XLSX sheet name (null: the first
 * sheet), and the caps.
 */
public record ReadOptions(TextEncoding encoding, Character delimiter, String sheet, ReadLimits limits) {
    public static final ReadOptions DEFAULT = new ReadOptions(null, null, null, ReadLimits.DEFAULT);

    public ReadOptions {
        limits = limits == null ? ReadLimits.DEFAULT : limits;
    }

    public ReadOptions withEncoding(TextEncoding e) { return new ReadOptions(e, delimiter, sheet, limits); }

    public ReadOptions withDelimiter(Character d) { return new ReadOptions(encoding, d, sheet, limits); }

    public ReadOptions withSheet(String s) { return new ReadOptions(encoding, delimiter, s, limits); }

    public ReadOptions withLimits(ReadLimits l) { return new ReadOptions(encoding, delimiter, sheet, l); }
}
