package cn.crb.localdb;

/** A failure of the local database that the caller cannot fix by retrying with other input. */
public class LocalDbException extends RuntimeException {
    public LocalDbException(String message, Throwable cause) { super(message, cause); }
}
