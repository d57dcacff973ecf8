//! The command line in French for the people who use it: `--help` (headings, usage, every
//! command and option) and argument errors. The clap definitions in `cli.rs` keep English doc
//! comments for developers; this module gives the French text users read, in one table, and a
//! test checks that every command and option has its French line (a new option without one
//! fails the build's tests).
//!
//! clap's own error text is English: [`french_error`] rewrites it from the error's kind and
//! context (the argument, the value, the admitted values, clap's suggestion).

use crate::cli::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory};

const TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// What each command does.
const COMMANDS: &[(&str, &str)] = &[
    ("demo", "Lance le relevé complet sur les données de démonstration (base SQLite jetable, hors ligne)"),
    ("run", "Le relevé du mois : lit chaque source, calcule les représentations, prépare les déclarations et écrit les fichiers"),
    ("indicators", "Indicateurs pour les financeurs sur une saison ou une année civile : JSON, CSV, XLSX, HTML, PDF"),
    ("versions", "Liste les versions des déclarations (brouillons, approbations, rectificatifs) et le journal"),
    ("approve", "Approuve une version (le dernier brouillon sauf --version) ; elle est alors figée dans versions/"),
    ("submitted", "Enregistre qu'une version approuvée a été transmise (canal et accusé de réception)"),
    ("renormalise", "Relit les réponses enregistrées des billetteries en ligne, sans les rappeler (après une correction)"),
    ("trace", "Montre ce qui fait les chiffres d'une représentation (billets, taux de TVA, ligne de programme)"),
    ("serve", "Interface web et API JSON pour les administrateurs"),
    ("user", "Personnes de l'espace de travail : user add crée un compte ou ajoute un rôle"),
    ("token", "Jetons de l'API : token create (affiché une seule fois), token revoke"),
    ("check", "Vérifie la configuration et teste chaque source, sans rien écrire"),
    ("submit", "Transmet les versions approuvées par leur canal (API SIBIL, service SACD, e-mail SACEM, dossier de dépôt CNM/ASTP) ; sans --body, traite chaque envoi en attente et envoie les rappels d'échéance et comptes rendus dus"),
    ("audit", "Journal d'audit : audit verify vérifie sa chaîne d'empreintes"),
    ("key", "Clé maîtresse des identifiants enregistrés : key rotate les rechiffre tous sous une nouvelle clé"),
    ("backup", "Copie cohérente de la base de données (SQLite ; PostgreSQL : la procédure pg_dump)"),
    ("restore", "Remet en place une copie faite par releve backup"),
    ("siret", "Ce que dit le répertoire public des entreprises d'un SIRET ou d'un SIREN (cache, sinon le répertoire)"),
];

/// What each option means: `command.option` first, then `option` for all commands.
const OPTIONS: &[(&str, &str)] = &[
    ("log_format", "Format du journal technique sur la sortie d'erreur : text ou json (défaut : text)"),
    ("config", "Fichier de configuration (TOML)"),
    ("org", "Seulement cette organisation (son slug)"),
    ("month", "Mois, AAAA-MM"),
    ("run.month", "Mois à déclarer, AAAA-MM (défaut : le mois précédent, heure de Paris)"),
    ("out", "Dossier de sortie (défaut : out)"),
    ("approve.out", "Dossier de sortie des relevés (défaut : celui du dernier relevé) : les fichiers approuvés sont figés dans DOSSIER/<organisation>/<mois>/versions/"),
    ("demo.out", "Dossier de sortie (défaut : out)"),
    ("with_vendors", "Ajoute une seconde organisation lue par les API Billetweb et HelloAsso, rejouées en local"),
    ("keep", "Garde la configuration, les données et la base SQLite de la démonstration dans ce dossier, pour essayer approve, submitted et versions"),
    ("generated_at", "Date de génération (RFC 3339), pour reproduire un relevé à l'octet près"),
    ("season", "Saison, par exemple 2025-2026 (commence en septembre sauf season_start_month)"),
    ("year", "Année civile, par exemple 2025"),
    ("versions.month", "Seulement ce mois, AAAA-MM"),
    ("body", "Déclaration : sibil, cnm, astp, sacem ou sacd"),
    ("version", "Numéro de version (défaut : le dernier brouillon)"),
    ("submitted.version", "Numéro de la version transmise"),
    ("by", "Qui (nom et fonction), inscrit au journal"),
    ("despite", "Approuver malgré des points bloquants ou des enregistrements en quarantaine, pour cette raison (inscrite au journal et sur le document)"),
    ("channel", "Canal de transmission : portail, api, e-mail, courrier…"),
    ("receipt", "Accusé de réception ou référence donnée par l'organisme"),
    ("source", "Seulement cette source (par exemple billetweb)"),
    ("performance", "Identifiant de la représentation, comme dans aggregates.json (tickets_csv:P-2025-11-14)"),
    ("demo.serve", "Ouvre ensuite l'espace de travail sur la base de démonstration et affiche un utilisateur de démonstration"),
    ("listen", "Adresse d'écoute ADRESSE:PORT (port 0 : un port libre ; défaut : [server] listen, sinon 127.0.0.1:8080)"),
    ("from", "Premier jour de la période SACD, AAAA-MM-JJ (inclus)"),
    ("to", "Dernier jour de la période SACD, AAAA-MM-JJ (inclus)"),
    ("run.body", "Avec --from et --to : sacd, un bordereau SACD sur cette période"),
    ("submit.out", "Dossier de sortie de releve run (où sont les fichiers approuvés ; défaut : out)"),
    ("submit.by", "Qui demande l'envoi (nom et fonction), inscrit au journal"),
    ("refresh", "Interroge le répertoire même si la réponse en cache a moins de 30 jours"),
    ("number", "SIRET (14 chiffres) ou SIREN (9 chiffres), espaces admis"),
    ("jobs", "Nombre d'organisations traitées en même temps (défaut : 1)"),
    ("backup.to", "La copie à écrire (refusée si le fichier existe)"),
    ("restore.from", "La copie à remettre en place (faite par releve backup)"),
    ("action", "Action : verify"),
    ("key.action", "Action : rotate"),
    ("serve.out", "Dossier de sortie des relevés (celui de releve run --out) : l'espace de travail propose ses fichiers (défaut : celui du dernier relevé)"),
    ("jobs", "Nombre d'organisations traitées en même temps (défaut : 1)"),
    ("help", "Affiche cette aide"),
    ("version_flag", "Affiche la version"),
];

/// The placeholders of values in the usage lines.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("config", "FICHIER"),
    ("month", "AAAA-MM"),
    ("org", "SLUG"),
    ("out", "DOSSIER"),
    ("body", "ORGANISME"),
    ("by", "NOM"),
    ("despite", "RAISON"),
    ("version", "N"),
    ("channel", "CANAL"),
    ("receipt", "REÇU"),
    ("performance", "ID"),
    ("source", "SOURCE"),
    ("season", "SAISON"),
    ("year", "ANNÉE"),
    ("keep", "DOSSIER"),
    ("generated_at", "DATE"),
    ("log_format", "FORMAT"),
    ("jobs", "N"),
];

fn option_help(command: &str, id: &str) -> Option<&'static str> {
    let scoped = format!("{command}.{id}");
    OPTIONS
        .iter()
        .find(|(k, _)| *k == scoped)
        .or_else(|| OPTIONS.iter().find(|(k, _)| *k == id))
        .map(|(_, v)| *v)
}

fn french_args(command: &str, cmd: clap::Command) -> clap::Command {
    let name = command.to_string();
    cmd.help_template(TEMPLATE)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        )
        .mut_args(move |a| {
            let id = a.get_id().as_str().to_string();
            // Defaults and admitted values are said in the French help itself.
            let a = if a.get_action().takes_values() {
                let a = a.hide_default_value(true).hide_possible_values(true);
                match VALUE_NAMES.iter().find(|(k, _)| *k == id) {
                    Some((_, name)) => a.value_name(*name),
                    None => a,
                }
            } else {
                a
            };
            match option_help(&name, &id) {
                Some(help) => a.help(help),
                None => a,
            }
        })
}

/// The `releve` command with every text a user reads in French.
pub fn command() -> clap::Command {
    let cmd = Cli::command()
        .about("Déclarations SIBIL, CNM, ASTP, SACEM, SACD et indicateurs pour les lieux de spectacle vivant")
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version_flag")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        );
    let cmd = french_args("", cmd);
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let about = COMMANDS.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let sub = match about {
            Some(text) => sub.about(text),
            None => sub,
        };
        french_args(&name, sub)
    })
}

/// Parses the command line with French help and errors: `Err` carries what to print and the
/// exit status (0 for `--help` and `--version`, 2 for a mistake).
pub fn parse() -> Result<Cli, (String, i32)> {
    parse_from(std::env::args_os())
}

pub fn parse_from<I, T>(args: I) -> Result<Cli, (String, i32)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    let matches = command()
        .try_get_matches_from(args)
        .map_err(|e| match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => (e.to_string(), 0),
            _ => (french_error(&e), 2),
        })?;
    Cli::from_arg_matches(&matches).map_err(|e| (french_error(&e), 2))
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| v.to_string())
}

/// clap's error in French, with the usage line and how to get help.
pub fn french_error(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(e, ContextKind::ValidValue);
    let suggestion = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| match e.get(kind)? {
        ContextValue::Strings(list) => Some(
            list.iter()
                .map(|s| format!("« {s} »"))
                .collect::<Vec<_>>()
                .join(" ou "),
        ),
        other => Some(format!("« {other} »")),
    });
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => format!("option inconnue « {arg} »"),
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("option obligatoire absente : {arg}"),
        ErrorKind::MissingSubcommand => {
            "indiquez une commande (releve --help les liste)".to_string()
        }
        ErrorKind::InvalidValue => match &valid {
            Some(v) => format!("valeur « {value} » invalide pour {arg} (valeurs admises : {v})"),
            None => format!("valeur « {value} » invalide pour {arg}"),
        },
        ErrorKind::ValueValidation => format!("valeur « {value} » invalide pour {arg}"),
        ErrorKind::ArgumentConflict => format!(
            "{arg} ne peut pas être utilisé avec {}",
            context(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("trop de valeurs pour {arg} (« {value} »)"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        ErrorKind::NoEquals => format!("{arg} attend une valeur après « = »"),
        ErrorKind::InvalidUtf8 => "argument illisible (caractères non UTF-8)".to_string(),
        _ => "ligne de commande invalide".to_string(),
    };
    if let Some(s) = suggestion {
        text += &format!(" ; vouliez-vous dire {s} ?");
    }
    let mut out = format!("erreur : {text}\n");
    if let Some(usage) = context(e, ContextKind::Usage) {
        out += &format!(
            "\n{}\n",
            usage.replacen("Usage:", "Utilisation :", 1).trim_end()
        );
    }
    out += "\nPour en savoir plus : --help\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: &[&str]) -> String {
        let mut all = vec!["releve"];
        all.extend_from_slice(args);
        match parse_from(all) {
            Err((text, 2)) => text,
            Err((text, code)) => panic!("exit {code}: {text}"),
            Ok(cli) => panic!("parsed: {cli:?}"),
        }
    }

    #[test]
    fn every_command_and_option_has_its_french_help() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            assert!(
                COMMANDS.iter().any(|(k, _)| *k == name),
                "command {name} has no French description in cli_fr::COMMANDS"
            );
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                assert!(
                    option_help(name, id).is_some(),
                    "option {name} --{id} has no French help in cli_fr::OPTIONS"
                );
            }
        }
    }

    #[test]
    fn help_is_in_french() {
        let mut cmd = command();
        let help = cmd.render_help().to_string();
        assert!(help.contains("Utilisation : releve"), "{help}");
        assert!(help.contains("Commandes"), "{help}");
        assert!(help.contains("Affiche cette aide"), "{help}");
        assert!(!help.contains("Print help"), "{help}");
        let mut approve = command();
        let approve = approve.find_subcommand_mut("approve").unwrap();
        let help = approve.render_help().to_string();
        assert!(help.contains("malgré des points bloquants"), "{help}");
        assert!(!help.contains("[default"), "{help}");
    }

    #[test]
    fn argument_errors_are_in_french() {
        let text = error(&["run", "--config", "r.toml", "--mnth", "2025-11"]);
        assert!(
            text.starts_with("erreur : option inconnue « --mnth »"),
            "{text}"
        );
        assert!(text.contains("vouliez-vous dire « --month » ?"), "{text}");
        assert!(text.contains("Utilisation : releve run"), "{text}");
        let text = error(&["approve", "--config", "r.toml"]);
        assert!(text.contains("option obligatoire absente"), "{text}");
        assert!(text.contains("--month"), "{text}");
        let text = error(&["--log-format", "xml", "check", "--config", "r.toml"]);
        assert!(
            text.contains("valeur « xml » invalide pour --log-format"),
            "{text}"
        );
        let text = error(&["aprove"]);
        assert!(text.contains("commande inconnue « aprove »"), "{text}");
        assert!(text.contains("« approve »"), "{text}");
        assert!(
            !text.contains("error:") && !text.contains("Usage:"),
            "{text}"
        );
    }
}
