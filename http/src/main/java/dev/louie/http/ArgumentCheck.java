package dev.louie.http;

import dev.louie.http.ProblemException.FieldError;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Checks decoded arguments before they are enqueued: jakarta.validation constraints where a
 * provider is on the class path ({@link BeanValidation}), else nothing. This interface names no
 * jakarta type, so a server without the API on its class path loads none.
 */
interface ArgumentCheck {
    /** Checks nothing. */
    ArgumentCheck NONE = (task, args) -> List.of();

    /** Every violated constraint of {@code args} for {@code task}, each with its JSON path; empty when they are valid. */
    List<FieldError> violations(TaskSignature task, Object[] args);

    /** Bean Validation when {@code jakarta.validation} and a provider are on the class path, else {@link #NONE}. */
    static ArgumentCheck find() {
        try {
            Class.forName("jakarta.validation.Validation", false, ArgumentCheck.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LoggerFactory.getLogger(ArgumentCheck.class).debug("no jakarta.validation on the class path: constraints are not enforced");
            return NONE;
        }
        return BeanValidation.create();
    }
}
