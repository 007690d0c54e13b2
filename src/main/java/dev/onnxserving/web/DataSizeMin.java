package dev.onnxserving.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.util.unit.DataSize;

/** A {@link DataSize} of at least {@link #value()} bytes; {@code null} is valid. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DataSizeMin.Check.class)
@interface DataSizeMin {

    /** The least number of bytes. */
    long value();

    String message() default "must be at least {value} bytes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Compares the size in bytes. */
    class Check implements ConstraintValidator<DataSizeMin, DataSize> {

        private long min;

        @Override
        public void initialize(DataSizeMin constraint) {
            this.min = constraint.value();
        }

        @Override
        public boolean isValid(DataSize size, ConstraintValidatorContext context) {
            return size == null || size.toBytes() >= min;
        }
    }
}
