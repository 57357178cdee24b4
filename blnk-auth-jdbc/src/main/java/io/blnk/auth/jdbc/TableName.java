package io.blnk.auth.jdbc;

import java.util.Objects;

/**
 * A validated, optionally schema-qualified table name. Only such names are ever put into SQL
 * text; every value goes through parameters.
 *
 * @param schema the schema, or {@code ""} for the connection's default
 * @param name the unqualified name
 */
record TableName(String schema, String name) {

  /** The longest part accepted: room for suffixes within every database's identifier limit. */
  static final int MAX_PART = 40;

  TableName {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses {@code name} or {@code schema.name}.
   *
   * @throws IllegalArgumentException unless each part is 1 to 40 characters of {@code [a-z0-9_]}
   *     starting with a letter or underscore
   */
  static TableName parse(String text) {
    Objects.requireNonNull(text, "tableName");
    int dot = text.indexOf('.');
    String schema = dot < 0 ? "" : text.substring(0, dot);
    String name = dot < 0 ? text : text.substring(dot + 1);
    if ((dot >= 0 && !isIdentifier(schema)) || !isIdentifier(name)) {
      throw new IllegalArgumentException(
          "invalid table name \""
              + printable(text)
              + "\": use name or schema.name, each 1 to "
              + MAX_PART
              + " characters of a-z, 0-9 and _, not starting with a digit");
    }
    return new TableName(schema, name);
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || s.length() > MAX_PART) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
    }
    return s.length() > 80 ? out + "..." : out.toString();
  }

  /** As written in SQL: {@code schema.name} or {@code name}. */
  String qualified() {
    return schema.isEmpty() ? name : schema + "." + name;
  }

  /** A table next to this one: same schema, name plus {@code suffix}. */
  String sibling(String suffix) {
    return qualified() + suffix;
  }

  /** {@code schema.} or {@code ""}. */
  String schemaDot() {
    return schema.isEmpty() ? "" : schema + ".";
  }

  @Override
  public String toString() {
    return qualified();
  }
}
