package cn.crb.app.ui;

import cn.crb.app.cli.Logging;
import javafx.application.Application;

/** Main class of the graphical workstation (a plain class, so JavaFX starts from the class path). */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Logging.configureForGui(args);
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                new picocli.CommandLine(new GuiOptions()).usage(System.out);
                return;
            }
        }
        Preload.start(args);
        Application.launch(WorkstationApp.class, args);
    }
}
