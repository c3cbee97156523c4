package io.restrictd.syncer;

/** LDIF for a test person under {@code base}. */
final class SyncreplITPerson {
    private SyncreplITPerson() {
    }

    static String person(String base, String uid, boolean restricted, String... mails) {
        StringBuilder b = new StringBuilder("dn: uid=" + uid + "," + base + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\n");
        for (String m : mails) {
            b.append("mail: ").append(m).append('\n');
        }
        if (restricted) {
            b.append("smtpdSenderRestrictions: TRUE\n");
        }
        return b.append('\n').toString();
    }
}
