package cn.crb.localdb;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One import job as stored: the file (name, SM3, format, encoding, delimiter, header), the institution and standards
 * version it was checked against, the counts (total = valid + invalid; of the valid rows, {@code skippedRows} were
 * already imported earlier and {@code batchRows} are queued in this job's batch), its state, and the batch identity
 * chosen for the platform (batchId, SM2-wrapped batch key, chunk size).
 */
public record BulkJob(long id, String fileName, String fileSm3, String format, String encoding, Character delimiter,
                      List<String> header, String institution, String standardsVersion, String mode, long totalRows,
                      long validRows, long invalidRows, long skippedRows, long batchRows, BulkJobState state,
                      String batchId, String keyEnvelopeJson, int chunkSize, OffsetDateTime createdAt,
                      OffsetDateTime completedAt) {
    public BulkJob {
        header = List.copyOf(header);
    }

    /** Number of chunks of the batch (0 when nothing is queued). */
    public int chunkCount() { return (int) ((batchRows + chunkSize - 1) / chunkSize); }
}
