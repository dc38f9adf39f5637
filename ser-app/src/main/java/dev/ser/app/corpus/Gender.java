package dev.ser.app.corpus;

/** A speaker's gender as the corpus's convention states it; UNKNOWN where it does not (CREMA-D, own data). */
public enum Gender {
    FEMALE, MALE, UNKNOWN;

    /** The lower-case name written into split files and reports. */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
