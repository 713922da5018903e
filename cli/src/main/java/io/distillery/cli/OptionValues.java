package io.distillery.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Range-checked option converters: a bad value is a usage error (exit 2) naming the option, what
 * it expects and what it got, before any stage starts. Finer checks stay with each stage's config
 * record.
 */
final class OptionValues {
  private OptionValues() {}

  /** An integer >= 1. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) parse(value, 1, Integer.MAX_VALUE);
    }
  }

  /** An integer >= 0. */
  static final class NonNegativeInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) parse(value, 0, Integer.MAX_VALUE);
    }
  }

  /** A long >= 1. */
  static final class PositiveLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(value, 1, Long.MAX_VALUE);
    }
  }

  /** A finite number > 0. */
  static final class PositiveDouble implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double d = parseDouble(value);
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new TypeConversionException("expected a number > 0, found '" + value + "'");
      }
      return d;
    }
  }

  /** A number in [0, 1]. */
  static final class Fraction implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double d = parseDouble(value);
      if (!(d >= 0 && d <= 1)) {
        throw new TypeConversionException("expected a number in [0, 1], found '" + value + "'");
      }
      return d;
    }
  }

  private static long parse(String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("expected an integer, found '" + value + "'");
    }
    if (n < min) {
      throw new TypeConversionException("expected an integer >= " + min + ", found " + n);
    }
    if (n > max) {
      throw new TypeConversionException("expected an integer <= " + max + ", found " + n);
    }
    return n;
  }

  private static double parseDouble(String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("expected a number, found '" + value + "'");
    }
  }
}
