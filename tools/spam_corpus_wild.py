"""The validation corpus' second part: mail as it arrives from bulk scripts and spammers.

The first 57 messages (``make_spam_corpus.mails``) are mostly newsletters a small business would
write, from clean to pushy; offline, without Bayes or network lists, SpamAssassin and rspamd see
little in most of them and agree poorly (Spearman 0.12). Real unwanted mail also carries the
marks of how it was made and sent — no Date or Message-ID, HTML with no text part, a PHP mailer
signature, a display name that is someone else's address, a Reply-To at a free-mail provider,
undisclosed recipients, money-fraud and sextortion wording — and both filters read those marks.
These 30 messages (15 French, 15 English) add that range, from a clean letter that merely lacks
a Message-ID to advance-fee fraud, so the corpus spans what a user might paste into
``bulletin check``. Everything is fixed, as in the first part.
"""

from __future__ import annotations

from make_spam_corpus import Mail

PHP_HEADERS = {
    "X-Mailer": "PHPMailer 5.2.9 (https://github.com/PHPMailer/PHPMailer/)",
    "X-PHP-Originating-Script": "1001:mailer.php",
}
UNDISCLOSED = "undisclosed-recipients:;"


def wild_mails() -> list[Mail]:
    """Thirty messages, French and English, from a clean letter to fraud."""
    m: list[Mail] = []
    # ------------------------------------------------------------------ mild: clean but rough
    m.append(
        Mail(
            "en-wild-clean-no-message-id",
            "news@riverside-pottery.co.uk",
            "Riverside Pottery",
            "Spring classes are open",
            [
                ("h", "Spring classes"),
                (
                    "p",
                    "Hello,\nOur spring wheel-throwing classes start on 14 April. Six evenings, "
                    "all materials included, eight places per group. [See the dates and book]"
                    "(https://www.riverside-pottery.co.uk/classes).",
                ),
            ],
            footer="Riverside Pottery, 3 Mill Lane, Bath BA1 1AA",
            unsubscribe="https://www.riverside-pottery.co.uk/unsubscribe",
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-propre-sans-date",
            "bonjour@fromagerie-des-alpes.fr",
            "Fromagerie des Alpes",
            "Le beaufort d'été est arrivé",
            [
                ("h", "Beaufort d'été"),
                (
                    "p",
                    "Bonjour,\nLe beaufort d'alpage de l'été dernier est affiné à point. Venez le "
                    "goûter samedi au marché ou [réservez votre part en ligne]"
                    "(https://www.fromagerie-des-alpes.fr/beaufort).",
                ),
            ],
            footer="Fromagerie des Alpes, 5 place du Marché, 73200 Albertville",
            unsubscribe="https://www.fromagerie-des-alpes.fr/desinscription",
            dated=False,
        )
    )
    m.append(
        Mail(
            "en-wild-plain-text-club",
            "secretary@chess-club-leeds.org.uk",
            "Leeds Chess Club",
            "Club night moved to Thursday",
            [
                (
                    "p",
                    "Hi all,\nFrom next week club night moves to Thursday, same room, 7pm. The "
                    "rapid tournament is on 2 May; entries to me by reply.\nBest,\nTom",
                ),
            ],
            footer="Leeds Chess Club, Chapel Allerton Community Centre, Leeds LS7 3PD",
            unsubscribe="mailto:secretary@chess-club-leeds.org.uk?subject=unsubscribe",
            html_part=False,
        )
    )
    m.append(
        Mail(
            "fr-wild-texte-brut-association",
            "bureau@amicale-laique-ploermel.fr",
            "Amicale laïque de Ploërmel",
            "Assemblée générale le 12 mars",
            [
                (
                    "p",
                    "Bonjour à toutes et à tous,\nL'assemblée générale aura lieu le mardi 12 mars "
                    "à 20 h à la salle des fêtes. Ordre du jour : bilan moral, bilan financier, "
                    "élection du bureau. Pensez à vos pouvoirs si vous ne pouvez pas venir.\n"
                    "Le bureau",
                ),
            ],
            footer="Amicale laïque, 2 rue des Écoles, 56800 Ploërmel",
            unsubscribe="mailto:bureau@amicale-laique-ploermel.fr?subject=desinscription",
            html_part=False,
            charset="iso-8859-15",
            cte="8bit",
        )
    )
    # --------------------------------------------------------------- bulk scripts, pushy
    m.append(
        Mail(
            "en-wild-phpmailer-promo",
            "deals@dailydealz-outlet.com",
            "Daily Dealz Outlet",
            "FLASH SALE: EVERYTHING MUST GO",
            [
                ("big", "UP TO 90% OFF"),
                (
                    "p",
                    "Huge clearance on headphones, smart watches and chargers. Prices slashed! "
                    "Limited stock, first come first served. Click here to shop now!",
                ),
                ("btn", "SHOP NOW", "http://dailydealz-outlet.com/flash?src=mail"),
            ],
            footer="Daily Dealz Outlet",
            unsubscribe="http://dailydealz-outlet.com/unsub",
            extra_headers=PHP_HEADERS,
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-phpmailer-destockage",
            "promo@destockage-maison-discount.fr",
            "Destockage Maison",
            "DESTOCKAGE MASSIF : TOUT DOIT DISPARAITRE",
            [
                ("big", "JUSQU'À -80 %"),
                (
                    "p",
                    "Canapés, matelas, luminaires : prix cassés, stock limité ! Cliquez ici pour "
                    "en profiter avant la fin de l'opération. Livraison gratuite !!!",
                ),
                ("btn", "J'EN PROFITE", "http://destockage-maison-discount.fr/operation"),
            ],
            footer="Destockage Maison",
            unsubscribe="http://destockage-maison-discount.fr/desinscription",
            extra_headers=PHP_HEADERS,
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-html-only-no-date",
            "info@vip-bargain-club.biz",
            "VIP Bargain Club",
            "YOUR VIP DISCOUNT EXPIRES TODAY",
            [
                ("big", "VIP ONLY: 75% OFF"),
                (
                    "p",
                    "As a selected VIP member you can claim 75% off any order today only. "
                    "Act now, this offer will not be repeated!",
                ),
                ("btn", "CLAIM MY DISCOUNT", "http://vip-bargain-club.biz/claim"),
            ],
            footer="VIP Bargain Club",
            unsubscribe="http://vip-bargain-club.biz/remove",
            text_part=False,
            dated=False,
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-html-seul-sans-date",
            "contact@super-affaires-du-jour.fr",
            "Super Affaires",
            "VOTRE REMISE EXCLUSIVE EXPIRE CE SOIR",
            [
                ("big", "-75 % AUJOURD'HUI SEULEMENT"),
                (
                    "p",
                    "Vous avez été sélectionné pour une remise exclusive. Offre exceptionnelle, "
                    "valable aujourd'hui seulement : cliquez ici !",
                ),
                ("btn", "JE PROFITE DE MA REMISE", "http://super-affaires-du-jour.fr/remise"),
            ],
            footer="Super Affaires",
            unsubscribe="http://super-affaires-du-jour.fr/stop",
            text_part=False,
            dated=False,
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-empty-subject-images",
            "mailer@shop-promo-center.info",
            "Promo Center",
            "",
            [
                ("img", "http://shop-promo-center.info/i/banner1.jpg", ""),
                ("img", "http://shop-promo-center.info/i/banner2.jpg", ""),
                ("btn", "Shop", "http://shop-promo-center.info/go"),
            ],
            text_part=False,
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "fr-wild-objet-vide",
            "offres@bons-plans-malins.fr",
            "Bons Plans Malins",
            "",
            [
                (
                    "p",
                    "Bonjour, découvrez nos bons plans de la semaine : jusqu'à -60 % sur "
                    "l'électroménager. [Voir les offres](http://bons-plans-malins.fr/semaine)",
                ),
            ],
            footer="Bons Plans Malins",
            unsubscribe="http://bons-plans-malins.fr/desabonnement",
            to=UNDISCLOSED,
        )
    )
    # ------------------------------------------------------------------------- money
    m.append(
        Mail(
            "en-wild-loan-offer",
            "approvals@quick-cash-lenders.xyz",
            "Quick Cash Lenders",
            "Bad credit? You are PRE-APPROVED for $5,000",
            [
                (
                    "p",
                    "Dear Friend,\nGood news! You have been pre-approved for a personal loan of "
                    "up to $5,000, even with bad credit. No credit check, no hidden fees, cash "
                    "in your account within 24 hours. Apply now, it only takes 2 minutes!",
                ),
                ("btn", "GET MY CASH NOW", "http://quick-cash-lenders.xyz/apply"),
            ],
            footer="Quick Cash Lenders",
            unsubscribe="http://quick-cash-lenders.xyz/optout",
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-pret-rapide",
            "accord@credit-express-facile.xyz",
            "Crédit Express",
            "Votre crédit de 5 000 € est ACCORDÉ",
            [
                (
                    "p",
                    "Bonjour,\nBonne nouvelle : votre demande de prêt de 5 000 € est pré-acceptée, "
                    "même fiché Banque de France. Sans justificatif, argent versé en 24 h. "
                    "Cliquez ici pour recevoir vos fonds !",
                ),
                ("btn", "RECEVOIR MES FONDS", "http://credit-express-facile.xyz/fonds"),
            ],
            footer="Crédit Express",
            unsubscribe="http://credit-express-facile.xyz/stop",
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-work-from-home",
            "jobs.hiring.team2024@gmail.com",
            "Remote Hiring Team",
            "Earn $500/day from home - no experience needed!!!",
            [
                (
                    "p",
                    "Dear Friend,\nWe are looking for people to work from home, 2 hours a day. "
                    "Earn $500 per day, no experience needed, no investment. Be your own boss "
                    "and make money fast! Reply with your name and phone number to start today.",
                ),
            ],
            html_part=False,
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "fr-wild-travail-domicile",
            "recrutement.teletravail75@gmail.com",
            "Recrutement Télétravail",
            "Gagnez 300 € par jour depuis chez vous !!!",
            [
                (
                    "p",
                    "Bonjour,\nNous recrutons des personnes motivées pour travailler depuis chez "
                    "elles, deux heures par jour. Gagnez 300 € par jour, sans expérience, sans "
                    "investissement. Argent facile garanti ! Répondez avec votre nom et votre "
                    "numéro de téléphone.",
                ),
            ],
            html_part=False,
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "en-wild-advance-fee",
            "barrister.john.okafor@lawchambers-intl.com",
            "Barrister John Okafor",
            "URGENT BUSINESS PROPOSAL",
            [
                (
                    "p",
                    "Dear Friend,\nI am Barrister John Okafor, the personal attorney of a late "
                    "client who died in a car accident with his family, leaving the sum of "
                    "US$15,500,000.00 (Fifteen Million Five Hundred Thousand United States "
                    "Dollars) in a bank here. I seek your consent to present you as the next of "
                    "kin so the funds can be released to you. We shall share 50/50. This "
                    "transaction is 100% risk free. Reply with your full name, address, "
                    "telephone number and bank details.\nYours faithfully,\nBarrister John Okafor",
                ),
            ],
            html_part=False,
            extra_headers={"Reply-To": "john.okafor.chambers@yahoo.com"},
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "fr-wild-heritage",
            "maitre.dubois@cabinet-notarial-intl.com",
            "Maître Dubois",
            "Héritage non réclamé de 2 500 000 €",
            [
                (
                    "p",
                    "Cher ami,\nJe suis Maître Dubois, notaire. Un de mes clients, décédé sans "
                    "héritier, a laissé la somme de 2 500 000 € (deux millions cinq cent mille "
                    "euros) sur un compte bloqué. Je vous propose de vous présenter comme son "
                    "bénéficiaire ; nous partagerons la somme. Cette opération est sans risque "
                    "et confidentielle. Envoyez-moi votre nom complet, votre adresse, votre "
                    "numéro de téléphone et vos coordonnées bancaires.\nMaître Dubois",
                ),
            ],
            html_part=False,
            extra_headers={"Reply-To": "maitre.dubois.notaire@yahoo.fr"},
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "en-wild-sextortion",
            "security@claire-dupont-mail.net",
            "Security Alert",
            "Your account has been hacked. Change your password.",
            [
                (
                    "p",
                    "Hello!\nI am a hacker who has access to your operating system. I have been "
                    "watching you for a few months. I recorded a video of you with your webcam. "
                    "If you want me to delete it, transfer $1200 in Bitcoin to my wallet: "
                    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\nYou have 48 hours. Do not contact the "
                    "police, I will know.",
                ),
            ],
            html_part=False,
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-sextorsion",
            "securite@alerte-compte-mail.net",
            "Alerte sécurité",
            "Votre compte a été piraté. Changez votre mot de passe.",
            [
                (
                    "p",
                    "Bonjour !\nJe suis un hacker et j'ai accès à votre appareil depuis plusieurs "
                    "mois. J'ai enregistré une vidéo de vous avec votre webcam. Pour que je la "
                    "supprime, envoyez 1 000 € en Bitcoin à cette adresse : "
                    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\nVous avez 48 heures. Ne contactez pas la "
                    "police.",
                ),
            ],
            html_part=False,
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-casino-bonus",
            "vip@lucky-spins-casino.top",
            "Lucky Spins Casino",
            "$$$ 200 FREE SPINS + $1000 BONUS $$$",
            [
                ("big", "200 FREE SPINS!!!"),
                (
                    "p",
                    "Claim your $1000 welcome bonus and 200 free spins now! Winners every "
                    "minute! No deposit required! Click here to play and win big!!!",
                ),
                ("btn", "PLAY NOW", "http://lucky-spins-casino.top/bonus"),
            ],
            footer="Lucky Spins Casino",
            unsubscribe="http://lucky-spins-casino.top/unsub",
            text_part=False,
            cte="base64",
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-casino-bonus",
            "vip@casino-royal-gains.top",
            "Casino Royal",
            "€€€ 200 TOURS GRATUITS + 1000 € DE BONUS €€€",
            [
                ("big", "200 TOURS GRATUITS !!!"),
                (
                    "p",
                    "Réclamez votre bonus de bienvenue de 1000 € et 200 tours gratuits ! Sans "
                    "dépôt ! Gagnez gros dès maintenant, cliquez ici !!!",
                ),
                ("btn", "JOUER MAINTENANT", "http://casino-royal-gains.top/bonus"),
            ],
            footer="Casino Royal",
            unsubscribe="http://casino-royal-gains.top/stop",
            text_part=False,
            cte="base64",
            mid=None,
        )
    )
    # ----------------------------------------------------------- impersonation, phishing
    m.append(
        Mail(
            "en-wild-display-name-spoof",
            "alert@secure-account-verify.top",
            "",
            "Your account has been limited",
            [
                (
                    "p",
                    "Dear Customer,\nWe noticed unusual activity on your account and have "
                    "temporarily limited it. To restore access, verify your identity within 24 "
                    "hours or your account will be suspended: [https://www.paypal.com/verify]"
                    "(http://secure-account-verify.top/login)",
                ),
            ],
            from_header='"service@paypal.com" <alert@secure-account-verify.top>',
            text_part=False,
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "fr-wild-colis-en-attente",
            "notification@suivi-colis-laposte.top",
            "",
            "Votre colis est en attente de livraison",
            [
                (
                    "p",
                    "Bonjour,\nVotre colis n'a pas pu être livré : des frais de port de 1,99 € "
                    "restent à régler. Sans paiement sous 48 heures, il sera retourné à "
                    "l'expéditeur. [Régler les frais](http://suivi-colis-laposte.top/paiement)",
                ),
                ("btn", "SUIVRE MON COLIS", "http://suivi-colis-laposte.top/suivi"),
            ],
            from_header='"La Poste - Colissimo" <notification@suivi-colis-laposte.top>',
            text_part=False,
            to=UNDISCLOSED,
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-gift-card-survey",
            "rewards@customer-survey-prize.xyz",
            "Customer Rewards",
            "Congratulations! You've won a $1000 gift card",
            [
                (
                    "p",
                    "Congratulations! You have been selected to receive a $1000 gift card. "
                    "Complete our 30-second survey to claim your reward. Only 3 rewards left!",
                ),
                ("btn", "CLAIM MY GIFT CARD", "https://bit.ly/3xYzAbC"),
            ],
            footer="Customer Rewards",
            unsubscribe="https://bit.ly/3unsub9",
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-sondage-cadeau",
            "cadeaux@enquete-clients-gagnants.xyz",
            "Service Client",
            "Félicitations ! Vous avez gagné une carte cadeau de 500 €",
            [
                (
                    "p",
                    "Félicitations ! Vous avez été tiré au sort pour recevoir une carte cadeau de "
                    "500 €. Répondez à notre questionnaire de 30 secondes pour la recevoir. "
                    "Plus que 3 cartes disponibles !",
                ),
                ("btn", "RÉCUPÉRER MON CADEAU", "https://bit.ly/4cAdEaU"),
            ],
            footer="Service Client",
            unsubscribe="https://bit.ly/4stop2",
            mid=None,
        )
    )
    m.append(
        Mail(
            "fr-wild-remboursement-impots",
            "remboursement@impots-gouv-dgfip.top",
            "",
            "Avis de remboursement : 284,50 €",
            [
                (
                    "p",
                    "Madame, Monsieur,\nAprès le dernier calcul de votre impôt, vous avez droit à "
                    "un remboursement de 284,50 €. Pour le recevoir, remplissez le formulaire "
                    "ci-dessous avec votre numéro de carte bancaire.",
                ),
                (
                    "raw",
                    '<form action="http://impots-gouv-dgfip.top/remboursement" method="post">'
                    '<p>Nom : <input type="text" name="nom"></p>'
                    '<p>Numéro de carte : <input type="text" name="carte"></p>'
                    '<p>Date d\'expiration : <input type="text" name="exp"></p>'
                    '<p>Cryptogramme : <input type="text" name="cvv"></p>'
                    '<p><input type="submit" value="Recevoir mon remboursement"></p></form>',
                    "Remplissez le formulaire pour recevoir votre remboursement.",
                ),
            ],
            from_header='"impots.gouv.fr" <remboursement@impots-gouv-dgfip.top>',
            text_part=False,
            to=UNDISCLOSED,
        )
    )
    m.append(
        Mail(
            "en-wild-crypto-pump",
            "alpha@moonshot-coin-signals.io",
            "Moonshot Signals",
            "This coin will 100x next week - get in NOW",
            [
                ("big", "100X GUARANTEED"),
                (
                    "p",
                    "Our insiders found the next Bitcoin. Get in before the listing: early "
                    "buyers will make 100x their money. Guaranteed profit, zero risk. Buy now "
                    "before it's too late!",
                ),
                ("btn", "BUY NOW", "http://moonshot-coin-signals.io/buy"),
            ],
            footer="Moonshot Signals",
            unsubscribe="http://moonshot-coin-signals.io/unsubscribe",
            text_part=False,
        )
    )
    m.append(
        Mail(
            "fr-wild-crypto-investissement",
            "conseiller@placement-crypto-rendement.io",
            "Placement Crypto",
            "Doublez votre épargne en 30 jours - rendement GARANTI",
            [
                ("big", "+100 % EN 30 JOURS"),
                (
                    "p",
                    "Nos experts ont trouvé la prochaine cryptomonnaie. Investissez avant sa "
                    "cotation : doublez votre argent en 30 jours. Rendement garanti, zéro risque. "
                    "Investissez maintenant avant qu'il ne soit trop tard !",
                ),
                ("btn", "J'INVESTIS", "http://placement-crypto-rendement.io/investir"),
            ],
            footer="Placement Crypto",
            unsubscribe="http://placement-crypto-rendement.io/desinscription",
            text_part=False,
        )
    )
    m.append(
        Mail(
            "en-wild-weight-loss",
            "sales@slim-fast-keto-pills.top",
            "Keto Slim",
            "Lose 30 lbs in 30 days - no diet, no exercise",
            [
                ("big", "LOSE 30 LBS FAST"),
                (
                    "p",
                    "Doctors hate this! The miracle keto pill that burns fat while you sleep. "
                    "No diet, no exercise, 100% natural, money back guarantee. Order today and "
                    "get 2 bottles free!",
                ),
                ("btn", "ORDER NOW", "http://slim-fast-keto-pills.top/order"),
            ],
            footer="Keto Slim",
            unsubscribe="http://slim-fast-keto-pills.top/remove",
            mid=None,
        )
    )
    m.append(
        Mail(
            "en-wild-seo-cold-pitch",
            "rankfirst.seo.expert@gmail.com",
            "Mike | SEO Expert",
            "Quick question about your website",
            [
                (
                    "p",
                    "Hi,\nI was checking your website and noticed it is not ranking on the first "
                    "page of Google for your main keywords. I can get you to page 1 in 30 days, "
                    "guaranteed, at a very affordable price. Can I send you a free audit?\n"
                    "Thanks,\nMike",
                ),
            ],
            html_part=False,
        )
    )
    m.append(
        Mail(
            "fr-wild-referencement-seo",
            "agence.referencement.pro@gmail.com",
            "Julien - Expert SEO",
            "Question rapide sur votre site",
            [
                (
                    "p",
                    "Bonjour,\nEn visitant votre site, j'ai remarqué qu'il n'apparaît pas en "
                    "première page de Google. Je peux vous y placer en 30 jours, garanti, à un "
                    "prix très abordable. Puis-je vous envoyer un audit gratuit ?\nCordialement,\n"
                    "Julien",
                ),
            ],
            html_part=False,
        )
    )
    return m
