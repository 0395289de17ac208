package cn.crb.localdb;

import cn.crb.domain.bulk.ImportMode;
import cn.crb.domain.bulk.ReadOptions;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Child process of {@link KillImportTest}: opens the database the way the workstation does and imports one file,
 * printing STARTED when the import begins, a line per progress report, and DONE with the job's state when it returned.
 */
public final class KillImportMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] key = HexFormat.of().parseHex(args[1]);
        Path file = Path.of(args[2]);
        StandardsBundle bundle = StandardsBundle.fromPayload(Json.parse(Files.readAllBytes(Path.of(args[3]))));
        LocalDatabase db = LocalDatabase.open(dir, key);
        System.out.println("STARTED");
        System.out.flush();
        BulkImportService.ImportOutcome o = new BulkImportService(new BulkRepository(db), BulkImportServiceTest.CLOCK, BulkImportServiceTest.CLERK_KEY).importFile(
                new BulkImportService.ImportRequest(file, ReadOptions.DEFAULT, "TRN-0042", bundle, null, ImportMode.PARTIAL, Locale.ENGLISH),
                (rows, bytes, total) -> {
                    System.out.println("ROWS " + rows);
                    System.out.flush();
                }, () -> false);
        System.out.println("DONE " + o.job().state() + " " + o.alreadyImported());
        System.out.flush();
        db.close();
    }
}
