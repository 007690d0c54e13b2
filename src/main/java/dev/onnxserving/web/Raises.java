package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kinds of failure a handler method (or every method of a controller) can raise. The API documentation answers
 * each with the status and body {@link ErrorAnswers} gives that kind, so no status is written down twice.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
public @interface Raises {

    ErrorKind[] value();
}
