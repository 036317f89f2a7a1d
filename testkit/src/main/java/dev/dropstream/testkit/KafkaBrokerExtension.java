package dev.dropstream.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Resolves {@link KafkaBroker} parameters of test methods, constructors and lifecycle methods. The
 * shared broker lives in JUnit's root store, so it starts on first use and is closed (data removed)
 * when the whole test run ends; a {@link KafkaTest#fresh() fresh} one lives in the store of the class
 * or method that asked for it and is closed with it.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = freshOwner(context).orElse(context.getRoot());
        // Keyed by the owner's id: stores see their parents' values, so one key for all would hand a
        // fresh method inside a fresh class the class's broker.
        return owner.getStore(NAMESPACE).computeIfAbsent(owner.getUniqueId(), k -> KafkaBrokers.start(),
                KafkaBroker.class);
    }

    /** The context (method, else class) whose own {@code @KafkaTest} asks for a fresh broker, if any. */
    private static Optional<ExtensionContext> freshOwner(ExtensionContext context) {
        for (ExtensionContext c = context; c != null && c != c.getRoot(); c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            if (element.isPresent()) {
                Optional<KafkaTest> ann = AnnotationSupport.findAnnotation(element.get(), KafkaTest.class);
                if (ann.isPresent()) {
                    return ann.get().fresh() ? Optional.of(c) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
