package cn.crb.domain.bulk;

import java.util.List;

/**
 * How the original file was written, so that its rejects can be written the same way: format, encoding and delimiter
 * (CSV only) and the header row as it was.
 */
public record SourceFormat(FileFormat format, TextEncoding encoding, Character delimiter, List<String> header) {
    public SourceFormat {
        header = List.copyOf(header);
    }

    public static SourceFormat of(ImportSummary s) {
        return new SourceFormat(s.facts().format(), s.encoding(), s.delimiter(), s.header());
    }
}
