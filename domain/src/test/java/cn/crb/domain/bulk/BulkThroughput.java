package cn.crb.domain.bulk;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.standards.ProvinceKey;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Throughput harness (not a unit test): writes a GBK CSV of N rows (default 1,000,000; a share of them invalid and
 * duplicated), then reports rows/s for read + validate, and for read + validate + prepare (mask, HMAC-SM3, two
 * SM4-GCM encryptions per row). See docs/performance.md for the command.
 */
public final class BulkThroughput {
    private BulkThroughput() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("bulk-throughput");
        Path file = dir.resolve("rows.csv");
        try {
            generate(file, n);
            System.out.printf(Locale.ROOT, "file: %,d rows, %,d bytes%n", n, Files.size(file));
            run("read+validate", file, null);
            KeyPair kp = Sm2.generate();
            ProvinceKey key = new ProvinceKey("JS", Sm2.keyId(kp.getPublic()), Sm2.toPem(kp.getPublic()), kp.getPublic(),
                    Base64.getEncoder().encodeToString(new byte[32]));
            run("read+validate+prepare", file, BatchCrypto.create(key));
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
            }
            System.out.printf(Locale.ROOT, "peak heap used (sum of pool peaks): %,d MB; max heap %,d MB%n", peak >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void generate(Path file, int n) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, Charset.forName("GBK"))) {
            w.write(BulkTestFiles.HEADER_ZH);
            w.write("\r\n");
            for (int i = 0; i < n; i++) {
                String first = String.format(Locale.ROOT, "3201%02d19%02d%02d%02d%03d", i % 100, 60 + i % 40, 1 + i % 12, 1 + i % 28, (i / 100) % 1000);
                String id = first + ResidentId.checkCharacter(first);
                String grade = i % 50 == 7 ? "Z" : "A";
                if (i % 3 == 0) {
                    w.write(id + ",学员" + i + ",职业技能,VC-WEB-FE,Web前端,,,,WEB-FE-1X,中级,是,," + (2015 + i % 10) + "/6/" + (1 + i % 28) + ",," + grade + ",\r\n");
                } else {
                    w.write(id + ",欧阳" + i + ",学历教育,AC-CS-110,程序设计,理论,48,88.5,,,,," + (2015 + i % 10) + "年" + (1 + i % 12) + "月3日,," + grade + ",\r\n");
                }
            }
        }
    }

    private static void run(String label, Path file, BatchCrypto crypto) throws Exception {
        long[] counts = new long[2];
        ImportSink sink = new ImportSink() {
            @Override
            public void accepted(BulkRow row) {
                if (crypto != null) crypto.prepare(row);
                counts[0]++;
            }

            @Override
            public void rejected(RawRow row, List<Problem> problems) { counts[1]++; }
        };
        long t0 = System.nanoTime();
        Messages m = Messages.of(Locale.SIMPLIFIED_CHINESE);
        FileFacts facts = EncodingDetector.inspect(file, ReadLimits.DEFAULT, m);
        ImportSummary s = BulkTestFiles.importer(Locale.SIMPLIFIED_CHINESE, EvidenceSource.none())
                .run(facts, ReadOptions.DEFAULT, sink, ImportProgress.NONE, () -> false);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%-22s %,d rows (%,d valid, %,d invalid, encoding %s) in %.1f s = %,.0f rows/s%n", label, s.rows(),
                counts[0], counts[1], s.encoding().displayName(), secs, s.rows() / secs);
    }
}
