package cn.crb.sim;

/** The authenticated caller of an API request: the person and the key the token was issued to. */
record Principal(Person person, String keyId) {
    String personId() { return person.personId(); }
}
