package dev.louie.http;

import dev.louie.http.ProblemException.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jakarta.validation constraints on a task's parameters ({@code @Min int stars}) and on the
 * components of the records and beans it takes ({@code record Signup(@NotBlank String name)}),
 * enforced before anything is enqueued: the arguments' own constraints are checked even where
 * the parameter lacks {@code @Valid}. Each violation becomes a field error with its JSON path
 * ({@code $.signup.name}, {@code $.tags[1]}).
 */
final class BeanValidation implements ArgumentCheck {
    private static final Logger log = LoggerFactory.getLogger(BeanValidation.class);
    private final Validator validator;

    private BeanValidation(Validator validator) {
        this.validator = validator;
    }

    /** The default provider's validator; without an expression language, Hibernate Validator's plain interpolator; else {@link #NONE}. */
    static ArgumentCheck create() {
        try {
            ValidatorFactory factory = Validation.buildDefaultValidatorFactory();
            log.info("jakarta.validation constraints on task parameters are enforced ({})", factory.getClass().getName());
            return new BeanValidation(factory.getValidator());
        } catch (ValidationException e) {
            try {
                MessageInterpolator plain = (MessageInterpolator) Class.forName(
                        "org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator").getConstructor().newInstance();
                ValidatorFactory factory = Validation.byDefaultProvider().configure().messageInterpolator(plain).buildValidatorFactory();
                log.info("jakarta.validation constraints on task parameters are enforced (without an expression language)");
                return new BeanValidation(factory.getValidator());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError again) {
                log.info("jakarta.validation is on the class path but no provider starts ({}): constraints are not enforced", e.getMessage());
                return NONE;
            }
        }
    }

    @Override
    public List<FieldError> violations(TaskSignature task, Object[] args) {
        Map<String, FieldError> found = new LinkedHashMap<>();
        for (ConstraintViolation<Object> v : validator.forExecutables().validateParameters(task.target, task.method, args)) {
            add(found, path(task, v.getPropertyPath(), null), v.getMessage());
        }
        for (int i = 0; i < args.length; i++) {
            if (isBean(args[i])) {
                for (ConstraintViolation<Object> v : validator.validate(args[i])) {
                    add(found, path(task, v.getPropertyPath(), i), v.getMessage());
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    private static void add(Map<String, FieldError> found, String path, String message) {
        found.putIfAbsent(path + "\u0000" + message, new FieldError(path, message));
    }

    private static boolean isBean(Object arg) {
        if (arg == null) {
            return false;
        }
        Class<?> c = arg.getClass();
        return !(c.isPrimitive() || c.isArray() || c.isEnum() || arg instanceof CharSequence || arg instanceof Number
                || arg instanceof Boolean || arg instanceof Collection || arg instanceof Map || c.getName().startsWith("java."));
    }

    /**
     * The JSON path of a violation: {@code $.<parameter>} and the properties below it. {@code
     * argument} is the parameter's index when the path starts at the argument (a bean validated on
     * its own), null when it starts at the method.
     */
    private static String path(TaskSignature task, Path path, Integer argument) {
        StringBuilder sb = new StringBuilder("$");
        if (argument != null) {
            sb.append('.').append(task.names[argument]);
        }
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                    continue;
                }
                case PARAMETER -> {
                    int index = node.as(Path.ParameterNode.class).getParameterIndex();
                    sb.append('.').append(task.names[index]);
                    continue;
                }
                default -> {
                }
            }
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    sb.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    sb.append("['").append(node.getKey()).append("']");
                }
            }
            if (node.getName() != null && node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                sb.append('.').append(node.getName());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "BeanValidation[" + validator.getClass().getSimpleName() + "]";
    }
}
