package cn.crb.app.ui.common;

import cn.crb.app.profile.ProfileException;

/** Turns a failure into one sentence in the person's language saying what happened and what to do. */
public final class ErrorMessages {
    private ErrorMessages() {}

    public static String of(Throwable t, I18n i18n) {
        if (t instanceof ProfileException p && p.reason() == ProfileException.Reason.OBJECTION_REFUSED) {
            return i18n.text("error.OBJECTION_REFUSED", i18n.text("objection.refusal." + p.argument()));
        }
        if (t instanceof ProfileException p && p.reason() == ProfileException.Reason.ROLE_NOT_HELD && p.argument() != null
                && i18n.bundle().containsKey("role." + p.argument())) {
            return i18n.text("error.ROLE_NOT_HELD", i18n.text("role." + p.argument())); // the role's name, not its code
        }
        if (t instanceof ProfileException p && p.reason() == ProfileException.Reason.NO_RESULT_YET && p.argument() != null) {
            // the session's result, as the arbitration screen words it (ArbitrationService.describe)
            String[] parts = p.argument().split("\\|");
            String key = "arbitration.result." + parts[0];
            if (i18n.bundle().containsKey(key)) {
                Object[] values = java.util.Arrays.copyOfRange(parts, 1, parts.length);
                if (parts[0].equals("decided")) values = new Object[] {i18n.text("position." + parts[1])};
                return i18n.text("error.NO_RESULT_YET", i18n.text(key, values));
            }
        }
        if (t instanceof ProfileException p) {
            return i18n.text("error." + p.reason().name(), p.argument() == null ? "" : p.argument());
        }
        return i18n.text("error.UNEXPECTED", t.getClass().getSimpleName());
    }
}
