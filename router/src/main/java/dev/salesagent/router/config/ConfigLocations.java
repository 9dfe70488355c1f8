package dev.salesagent.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.salesagent.router.config.ConfigFile.At;
import dev.salesagent.router.config.ConfigFile.Val;
import java.io.IOException;

/** How {@link ConfigYaml} keeps each value's file and line while Jackson binds the records. */
final class ConfigLocations {
  private ConfigLocations() {}

  /** The deserialization attribute holding the layer's source name. */
  static final String SOURCE = "config.source";

  /** Reads {@link Val} and {@link At} with their places. */
  static SimpleModule module() {
    return new SimpleModule("config-locations")
        .addDeserializer(Val.class, new ValDeserializer())
        .addDeserializer(At.class, new AtDeserializer(null, null));
  }


  private static String source(DeserializationContext ctxt) {
    Object s = ctxt.getAttribute(SOURCE);
    return s == null ? "config" : s.toString();
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** The line of the key a mapping is the value of (a block mapping starts on the line after its key). */
  private static int keyLine(JsonParser p) {
    return p instanceof KeyLines k && k.keyLine > 0 ? k.keyLine : line(p);
  }

  /** Remembers the line of the last key read; wrap the parser of a layer in it. */
  static final class KeyLines extends JsonParserDelegate {
    int keyLine = -1;

    KeyLines(JsonParser p) {
      super(p);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = delegate.nextToken();
      if (t == JsonToken.FIELD_NAME) keyLine = delegate.currentTokenLocation().getLineNr();
      return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken t = nextToken();
      return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public String nextFieldName() throws IOException {
      return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
    }

    @Override
    public boolean nextFieldName(SerializableString name) throws IOException {
      return nextToken() == JsonToken.FIELD_NAME && name.getValue().equals(currentName());
    }
  }

  /** A scalar with its file and line; a mapping or list where a value belongs is refused. */
  private static final class ValDeserializer extends JsonDeserializer<Val> {
    @Override
    public Val deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      Object v = switch (t) {
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw MismatchedInputException.from(p, Val.class, "a single value, not a mapping or list");
      };
      return new Val(v, source(ctxt), line(p));
    }

    /** A key given without a value: there, but empty. */
    @Override
    public Val getNullValue(DeserializationContext ctxt) {
      return new Val(null, source(ctxt), line(ctxt.getParser()));
    }

    /** A key not given. */
    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }
  }

  /** A mapping with where it starts, read by the deserializer of its type. */
  private static final class AtDeserializer extends JsonDeserializer<At<?>> implements ContextualDeserializer {
    private final JavaType type;
    private final JsonDeserializer<Object> inner;

    AtDeserializer(JavaType type, JsonDeserializer<Object> inner) {
      this.type = type;
      this.inner = inner;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) throws JsonMappingException {
      JavaType at = ctxt.getContextualType() != null ? ctxt.getContextualType() : property.getType();
      JavaType t = at.containedType(0);
      return new AtDeserializer(t, ctxt.findContextualValueDeserializer(t, property));
    }

    @Override
    public At<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      int line = keyLine(p);
      return new At<>(inner.deserialize(p, ctxt), source(ctxt), line);
    }

    @Override
    public At<?> getNullValue(DeserializationContext ctxt) {
      return new At<>(null, source(ctxt), keyLine(ctxt.getParser()));
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }
  }
}
