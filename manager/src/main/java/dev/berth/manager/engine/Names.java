package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * docker's container names and ids: a name matches {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+} (given with or without
 * docker's leading slash), a generated name is docker's {@code adjective_surname}, an id is 64 hex digits.
 */
final class Names {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final List<String> ADJECTIVES = List.of("admiring", "adoring", "affectionate", "agitated",
            "amazing", "angry", "awesome", "beautiful", "blissful", "bold", "boring", "brave", "busy", "charming",
            "clever", "compassionate", "competent", "condescending", "confident", "cool", "cranky", "crazy",
            "dazzling", "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
            "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty",
            "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful",
            "hungry", "infallible", "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind",
            "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice",
            "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical",
            "priceless", "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene",
            "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
            "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
            "wonderful", "xenodochial", "youthful", "zealous", "zen");
    private static final List<String> SURNAMES = List.of("albattani", "allen", "almeida", "archimedes", "ardinghelli",
            "aryabhata", "babbage", "banach", "bardeen", "bartik", "bell", "bhabha", "blackwell", "bohr", "booth",
            "borg", "bose", "brahmagupta", "brattain", "brown", "buck", "burnell", "cannon", "carson", "cartwright",
            "cerf", "chandrasekhar", "chatelet", "chaum", "clarke", "colden", "cori", "cray", "curie", "darwin",
            "davinci", "dijkstra", "dubinsky", "easley", "edison", "einstein", "elion", "engelbart", "euclid",
            "euler", "faraday", "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "goldberg",
            "goldstine", "goodall", "hamilton", "haslett", "hawking", "heisenberg", "hermann", "hodgkin", "hoover",
            "hopper", "hypatia", "jackson", "jang", "jennings", "jepsen", "johnson", "joliot", "kalam", "keldysh",
            "keller", "kepler", "khorana", "kilby", "knuth", "kowalevski", "lalande", "lamarr", "lamport",
            "leakey", "leavitt", "lovelace", "lumiere", "mahavira", "margulis", "mayer", "mccarthy", "mclean",
            "meitner", "mendel", "mirzakhani", "morse", "moser", "napier", "nash", "neumann", "newton", "nobel",
            "noether", "northcutt", "noyce", "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy",
            "raman", "ramanujan", "ride", "ritchie", "rosalind", "saha", "sammet", "shannon", "shaw", "shirley",
            "shockley", "sinoussi", "snyder", "spence", "stonebraker", "swanson", "swartz", "tesla", "thompson",
            "torvalds", "turing", "varahamihira", "visvesvaraya", "wescoff", "wiles", "williams", "wilson", "wing",
            "wozniak", "wright", "yalow", "yonath");

    private final RandomGenerator random;

    Names(RandomGenerator random) {
        this.random = random;
    }

    Names() {
        this(new SecureRandom());
    }

    /** A new container id: 64 hex digits, as docker's. */
    String newId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** docker's generated name; {@code retry} &gt; 0 appends a digit, as docker does after a collision. */
    String generate(int retry) {
        String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                + SURNAMES.get(random.nextInt(SURNAMES.size()));
        return retry > 0 ? name + random.nextInt(10) : name;
    }

    /** The name without docker's leading slash; INVALID_ARGUMENT in docker's wording if it breaks the rule. */
    static String validate(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw BerthException.invalidArgument("Invalid container name (" + name + "), only "
                    + VALID.pattern() + " are allowed");
        }
        return n;
    }

    /** docker's 409 wording for a name in use. */
    static BerthException conflict(String name, String id) {
        return BerthException.alreadyExists("Conflict. The container name \"/" + name
                + "\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }
}
