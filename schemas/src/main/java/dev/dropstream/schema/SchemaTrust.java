package dev.dropstream.schema;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes it has not been told to trust (reading enums and
 * records, deep copies). Everything that reads or copies Dropstream's Avro classes calls
 * {@link #trustDropstreamSchemas()} first; it adds this package to whatever the application already trusts.
 */
public final class SchemaTrust {
    private static final String PACKAGE = SchemaTrust.class.getPackageName() + ".";
    private static volatile boolean installed;

    private SchemaTrust() {
    }

    /** Idempotent and thread-safe. */
    public static void trustDropstreamSchemas() {
        if (installed) {
            return;
        }
        synchronized (SchemaTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        c -> c.getName().startsWith(PACKAGE)));
                installed = true;
            }
        }
    }
}
