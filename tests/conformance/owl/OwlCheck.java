// What OWLAPI, HermiT and Openllet say about each ontology document named on the command
// line, one JSON object per line on stdout (tests/conformance/test_owl.py reads them):
//   {"file": F, "check": "load"|"profile"|"hermit"|"openllet", "ok": true|false,
//    "details": [...], "axioms": N, "axioms_sha256": H}
// load: parsed with no unparsed triple; profile: OWLAPI's OWL2DLProfile (what ROBOT's
// validate-profile DL runs) reports no violation; hermit/openllet: consistent, with no
// unsatisfiable class. The digest is over the sorted logical and declaration axioms, so
// two documents OWLAPI reads the same way have the same digest.
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.reasoner.OWLReasonerFactory;

public class OwlCheck {
    static File log;

    public static void main(String[] args) throws Exception {
        // args: LOG_FILE ONTOLOGY_FILE...; OWLAPI logs (slf4j-simple) go to LOG_FILE.
        log = new File(args[0]);
        System.setProperty("org.slf4j.simpleLogger.logFile", log.getPath());
        for (String path : java.util.Arrays.copyOfRange(args, 1, args.length)) {
            check(path);
        }
    }

    static void check(String path) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology;
        // OWLAPI's parser logs what it had to guess or drop ("Possible malformed list"):
        // what it logs while loading is reported as a failure of the load.
        long logged = log.length();
        try {
            // Turtle for .ttl and .nt (N-Triples is a subset of Turtle), RDF/XML otherwise:
            // OWLAPI then reports that parser's error instead of trying every other one.
            OWLDocumentFormat format = path.endsWith(".ttl") || path.endsWith(".nt")
                ? new TurtleDocumentFormat() : new RDFXMLDocumentFormat();
            ontology = manager.loadOntologyFromOntologyDocument(
                new FileDocumentSource(new File(path), format));
        } catch (Exception err) {
            emit(path, "load", false, List.of(String.valueOf(err)), -1, "");
            return;
        }
        List<String> unparsed = new ArrayList<>();
        byte[] all = java.nio.file.Files.readAllBytes(log.toPath());
        String text = new String(all, (int) logged, all.length - (int) logged, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.contains("org.semanticweb.owlapi") && (line.contains(" WARN ") || line.contains(" ERROR "))) {
                unparsed.add("parser: " + line.substring(line.indexOf(" - ") + 3));
            }
        }
        manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().ifPresent(
            (OWLOntologyLoaderMetaData meta) -> meta.getUnparsedTriples().forEach(
                t -> unparsed.add("unparsed triple: " + t)));
        // Anonymous individuals (blank nodes in the data) get a new id on every parse:
        // the digest compares the axioms with those ids left out (the RDF-level tests
        // compare the blank-node structure itself).
        List<String> axioms = ontology.axioms()
            .map(axiom -> axiom.toString().replaceAll("_:genid[0-9]+", "_:anonymous")).sorted()
            .collect(Collectors.toList());
        emit(path, "load", unparsed.isEmpty(), unparsed, axioms.size(), sha256(axioms));

        List<String> violations = new ArrayList<>();
        try {
            for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
                violations.add(v.getClass().getSimpleName() + ": " + v);
            }
        } catch (RuntimeException err) {
            violations.add("the profile check failed: " + err);
        }
        emit(path, "profile", violations.isEmpty(), violations, axioms.size(), "");

        reason(path, "hermit", new org.semanticweb.HermiT.ReasonerFactory(), ontology);
        reason(path, "openllet", openllet.owlapi.OpenlletReasonerFactory.getInstance(), ontology);
    }

    static void reason(String path, String name, OWLReasonerFactory factory, OWLOntology ontology) {
        List<String> details = new ArrayList<>();
        boolean ok;
        try {
            OWLReasoner reasoner = factory.createReasoner(ontology);
            if (reasoner instanceof openllet.owlapi.OpenlletReasoner) {
                ((openllet.owlapi.OpenlletReasoner) reasoner).getKB().setDoExplanation(true);
            }
            try {
                if (!reasoner.isConsistent()) {
                    details.add("inconsistent");
                    if (reasoner instanceof openllet.owlapi.OpenlletReasoner) {
                        details.add("explanation: " + ((openllet.owlapi.OpenlletReasoner) reasoner)
                            .getKB().getExplanation());
                    }
                } else {
                    for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                        details.add("unsatisfiable class: " + c.getIRI());
                    }
                }
            } finally {
                reasoner.dispose();
            }
            ok = details.isEmpty();
        } catch (Throwable err) {
            details.add(String.valueOf(err));
            ok = false;
        }
        emit(path, name, ok, details, -1, "");
    }

    static String sha256(List<String> lines) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String line : lines) {
            digest.update(line.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : digest.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    static void emit(String path, String check, boolean ok, List<String> details, int axioms,
                     String digest) {
        String list = details.stream().map(OwlCheck::quote).collect(Collectors.joining(", "));
        System.out.println("{\"file\": " + quote(path) + ", \"check\": " + quote(check)
            + ", \"ok\": " + ok + ", \"details\": [" + list + "], \"axioms\": " + axioms
            + ", \"axioms_sha256\": " + quote(digest) + "}");
        System.out.flush();
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
