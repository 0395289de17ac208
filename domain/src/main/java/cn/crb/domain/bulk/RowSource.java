package cn.crb.domain.bulk;

import java.io.IOException;
import java.util.List;

/** A streaming source of the rows of one file: the header, then the data rows one at a time. */
interface RowSource extends AutoCloseable {
    List<String> header();

    /** The next data row, or null at the end. */
    RawRow next() throws IOException, BulkFileException;

    /** Bytes of the file consumed so far (an estimate for XLSX). */
    long bytesRead();

    @Override
    void close() throws IOException;
}
