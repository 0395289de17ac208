package cn.crb.app.ui;

import cn.crb.sim.PlatformSim;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A harness, not a test (not run by the test command): the FX thread's CPU time for one pass that changes what every
 * visible inbox row shows (the list of 2,000 cases replaced by itself reversed, up to the next frame), with the inbox's
 * own cell values and with the same texts computed beforehand, so the difference is what the cell values cost; and
 * what a filling-in of the totals costs (every total changed), with the items of the table's list replaced and with a
 * new list given to the table, as the inbox now does.
 * Results in docs/performance.md ("The FX thread during a 10,000-assignment sync"). Run:
 * <pre>xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -ntp -o -pl app -am test -Dtest=InboxPassHarness -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class InboxPassHarness extends JourneyBase {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long fx;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void measure() throws Exception {
        startApp();
        PlatformSim.DemoPerson reviewer = sim.demoPeople().stream().filter(p -> p.roles().equals(List.of("REVIEWER"))).findFirst().orElseThrow();
        admin("/admin/v1/cases", "{\"count\":2000,\"assignTo\":\"" + reviewer.personId() + "\"}");
        enrol(reviewer.enrolmentCode(), "界面不卡顿的口令 Responsive 2026");
        navigate("#navInbox");
        FxWait.until(20, () -> lookup("#table").tryQuery().isPresent());
        TableView<Object> table = lookup("#table").queryAs(TableView.class);
        FxWait.until(120, () -> WaitForAsyncUtils.asyncFx(() -> table.getItems().size() >= 2000 && !lookup("#busyIndicator").query().isVisible()).get());
        Thread.sleep(2000);
        fx = WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().threadId()).get();
        List<Object> a = WaitForAsyncUtils.asyncFx(() -> List.copyOf(table.getItems())).get();
        List<Object> b = new ArrayList<>(a);
        Collections.reverse(b);
        ObservableList<Object> l = FXCollections.observableArrayList(a);
        WaitForAsyncUtils.asyncFx(() -> table.setItems(l)).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<javafx.util.Callback> ours = WaitForAsyncUtils.asyncFx(() -> table.getColumns().stream().map(c -> (javafx.util.Callback) c.getCellValueFactory()).toList()).get();
        List<javafx.util.Callback> precomputed = WaitForAsyncUtils.asyncFx(() -> {
            List<javafx.util.Callback> r = new ArrayList<>();
            for (TableColumn c : table.getColumns()) {
                var f = c.getCellValueFactory();
                java.util.Map<Object, Object> cache = new java.util.IdentityHashMap<>();
                for (Object o : a) cache.put(o, ((javafx.beans.value.ObservableValue) f.call(new TableColumn.CellDataFeatures(table, c, o))).getValue());
                r.add(x -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cache.get(((TableColumn.CellDataFeatures) x).getValue())));
            }
            return r;
        }).get();
        // the same cases with every recommended total changed: what filling in the recommendations does to the list
        List<Object> t = new ArrayList<>();
        for (Object o : a) {
            var item = (cn.crb.app.cases.InboxService.Item) o;
            t.add(item.withTotal(item.recommendedTotal() == null ? java.math.BigDecimal.ONE : item.recommendedTotal().add(java.math.BigDecimal.ONE)));
        }
        report("warm-up", l, a, b);
        for (int round = 0; round < 3; round++) {
            use(table, ours);
            report("our cell values", l, a, b);
            use(table, precomputed);
            report("texts computed beforehand", l, a, b);
            use(table, ours);
            report("totals changed, list replaced", l, a, t);
            swap("totals changed, list swapped", table, a, t);
            swap("reversed, list swapped", table, a, b);
            WaitForAsyncUtils.asyncFx(() -> table.setItems(l)).get();
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    /** As {@link #report}, but each pass gives the table a new list instead of replacing the items of its list. */
    private void swap(String what, TableView<Object> table, List<Object> a, List<Object> b) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObservableList<Object> next = FXCollections.observableArrayList(i % 2 == 0 ? b : a);
            ms.add(measure(() -> table.setItems(next)));
        }
        print(what, ms);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void use(TableView<Object> table, List<javafx.util.Callback> factories) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (int i = 0; i < factories.size(); i++) ((TableColumn) table.getColumns().get(i)).setCellValueFactory(factories.get(i));
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void report(String what, ObservableList<Object> l, List<Object> a, List<Object> b) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<Object> next = i % 2 == 0 ? b : a;
            ms.add(measure(() -> l.setAll(next)));
        }
        print(what, ms);
    }

    private static void print(String what, List<Double> ms) {
        List<Double> s = ms.subList(6, ms.size()).stream().sorted().toList();
        System.out.printf("PASS %-30s median %.1f  p90 %.1f  max %.1f  (first %s)%n", what, s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.getLast(),
                ms.subList(0, 6).stream().map(d -> String.format("%.1f", d)).toList());
    }

    private double measure(Runnable change) throws Exception {
        CompletableFuture<Double> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            long c0 = threads.getThreadCpuTime(fx);
            change.run();
            new AnimationTimer() {
                int n;
                @Override public void handle(long now) {
                    if (++n < 2) return;
                    stop();
                    f.complete((threads.getThreadCpuTime(fx) - c0) / 1e6);
                }
            }.start();
        });
        double r = f.get(10, TimeUnit.SECONDS);
        Thread.sleep(30);
        return r;
    }
}
