package dev.salesagent.agent.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Size bounds: for a string {@code minLength}/{@code maxLength}, for a list {@code minItems}/{@code maxItems}.
 * {@code max = -1} means unbounded.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Size {
  int min() default 0;

  int max() default -1;
}
