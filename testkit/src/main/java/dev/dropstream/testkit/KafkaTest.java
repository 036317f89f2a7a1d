package dev.dropstream.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that takes a {@link KafkaBroker} parameter. By default every such test
 * in the JVM shares one broker; {@code fresh = true} gives the annotated class (or method) a broker of
 * its own, started on first use and removed when the class (or method) is done.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KafkaBrokerExtension.class)
public @interface KafkaTest {
    /** A broker for this class or method alone, for tests that restart it or need an empty cluster. */
    boolean fresh() default false;
}
