"""Names, professions, sectors and companies the demo people are drawn from."""


def _words(text: str) -> tuple[str, ...]:
    """Return the comma-separated words of a text (names may hold spaces: "Le Gall")."""
    return tuple(word.strip() for word in text.split(","))


FRENCH_FIRST_NAMES: tuple[str, ...] = _words(
    "Camille, Léa, Manon, Chloé, Emma, Inès, Sarah, Julie, Laura, Marie, Pauline, "
    "Mathilde, Claire, Sophie, Élodie, Aurélie, Céline, Nathalie, Isabelle, Sandrine, "
    "Valérie, Stéphanie, Émilie, Audrey, Charlotte, Lucie, Anaïs, Margaux, Océane, "
    "Justine, Hélène, Agnès, Brigitte, Christine, Delphine, Fabienne, Gaëlle, Karine, "
    "Laetitia, Morgane, Noémie, Solène, Virginie, Amandine, Coralie, Estelle, Florence, "
    "Juliette, Louise, Zoé, Thomas, Nicolas, Julien, Maxime, Alexandre, Antoine, "
    "Guillaume, Romain, Kevin, Mathieu, Sébastien, Christophe, Olivier, Laurent, Stéphane, "
    "David, Frédéric, Éric, Philippe, Pierre, Jérôme, Vincent, Benoît, Damien, Florian, "
    "Hugo, Lucas, Théo, Quentin, Adrien, Baptiste, Cédric, Fabien, Grégory, Hervé, Jean, "
    "Loïc, Marc, Pascal, Raphaël, Sylvain, Thierry, Yann, Arnaud, Bruno, Cyril, Denis, "
    "Franck, Gilles, Xavier"
)

FRENCH_LAST_NAMES: tuple[str, ...] = _words(
    "Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, "
    "Simon, Michel, Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, "
    "Bonnet, Dupont, Lambert, Fontaine, Rousseau, Vincent, Muller, Lefèvre, Faure, André, "
    "Mercier, Blanc, Guérin, Boyer, Garnier, Chevalier, François, Legrand, Gauthier, "
    "Garcia, Perrin, Robin, Clément, Morin, Nicolas, Henry, Roussel, Mathieu, Gautier, "
    "Masson, Marchand, Duval, Denis, Dumont, Marie, Lemaire, Noël, Meyer, Dufour, Meunier, "
    "Brun, Blanchard, Giraud, Joly, Rivière, Lucas, Brunet, Gaillard, Barbier, Arnaud, "
    "Martinez, Gérard, Roche, Renard, Schmitt, Roy, Leroux, Colin, Vidal, Caron, Picard, "
    "Roger, Fabre, Aubert, Lemoine, Renaud, Dumas, Lacroix, Olivier, Philippe, Bourgeois, "
    "Pierre, Benoît, Rey, Leclerc, Payet, Rolland, Leclercq, Guillaume, Lecomte, Lopez, "
    "Jean, Dupuy, Guillot, Hubert, Berger, Carpentier, Sanchez, Dupuis, Moulin, Louis, "
    "Deschamps, Huet, Vasseur, Perez, Boucher, Fleury, Royer, Klein, Jacquet, Adam, Paris, "
    "Poirier, Marty, Aubry, Guyot, Carré, Charles, Renault, Charpentier, Ménard, Maillard, "
    "Baron, Bertin, Bailly, Hervé, Schneider, Fernandez, Le Gall, Collet, Léger, Bouvier, "
    "Julien, Prévost, Millet, Perrot, Daniel, Le Roux, Cousin, Germain, Breton, Besson, "
    "Langlois, Rémy, Le Goff, Pelletier, Lévêque, Perrier, Leblanc, Barré, Lebrun, "
    "Marchal, Weber, Mallet, Hamon, Boulanger, Jacob, Monnier, Michaud, Rodriguez, "
    "Guichard, Gillet, Étienne, Grondin, Poulain, Tessier, Chevallier, Collin, Chauvin, "
    "Da Silva, Bouchet, Gay, Lemaître, Bénard, Maréchal, Humbert, Reynaud, Antoine, "
    "Hoarau, Perret, Barthélemy, Cordier"
)

# International names, by the country of a centre abroad and for learners in France.
FIRST_NAMES_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "LB": _words(
        "Rami, Karim, Georges, Elie, Joseph, Nadim, Fadi, Ziad, Maya, Rania, Nour, Lara, Rita, "
        "Carla, Mireille, Yasmina, Hadi, Tarek, Lina, Joëlle"
    ),
    "MA": _words(
        "Youssef, Mehdi, Omar, Hamza, Anas, Soufiane, Karim, Rachid, Salma, Imane, Meryem, "
        "Khadija, Fatima-Zahra, Hajar, Zineb, Nadia, Amine, Ilyas, Ghita, Yassine"
    ),
    "MG": _words(
        "Hery, Tojo, Fidy, Rija, Mamy, Haja, Tiana, Fanja, Voahangy, Lalao, Nirina, Miora, "
        "Andry, Toky, Soa, Zo, Lova, Hasina, Feno, Aina"
    ),
    "CN": _words(
        "Wei, Jing, Li, Yang, Min, Hui, Lei, Yan, Jun, Xin, Hao, Mei, Ying, Tao, Qiang, Fang, "
        "Chen, Lin, Xiu, Yu"
    ),
    "CI": _words(
        "Koffi, Kouadio, Yao, Konan, Aya, Adjoua, Affoué, Amenan, Moussa, Seydou, Fanta, "
        "Mariam, Ibrahim, Awa, Serge, Didier, Ange, Désiré, Nathalie, Christelle"
    ),
    "PT": _words("João, Pedro, Rui, Tiago, Nuno, Ana, Inês, Sofia, Beatriz, Rita"),
    "VN": _words("Minh, Anh, Linh, Huong, Thanh, Duc, Hoa, Lan, Tuan, Trang"),
    "DZ": _words("Sofiane, Nassim, Yacine, Mourad, Samir, Amel, Lynda, Sonia, Leïla, Karima"),
}

LAST_NAMES_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "LB": _words(
        "Khoury, Haddad, Nassar, Aoun, Saliba, Gemayel, Karam, Frem, Azar, Chamoun, Hage, "
        "Abi Nader, Sfeir, Daher, Rizk, Tannous, Maalouf, Nakhle, Bou Saab, Harb"
    ),
    "MA": _words(
        "Alaoui, Benjelloun, El Idrissi, Bennani, Tazi, Berrada, Chraibi, Lahlou, El Fassi, "
        "Amrani, Bouzidi, Naciri, Kettani, Ouazzani, Sqalli, Cherkaoui, El Mansouri, Zniber, "
        "Benkirane, Filali"
    ),
    "MG": _words(
        "Rakotomalala, Randriamanana, Rasoanaivo, Andrianarisoa, Razafindrakoto, Rakotoarisoa, "
        "Ranaivoson, Rabemananjara, Andriamihaja, Razanajatovo, Ratsimbazafy, Rajaonarison, "
        "Randrianasolo, Rasolofonirina, Ravelomanana, Rakotondrabe, Andrianjafy, Ramanantsoa, "
        "Rabearivelo, Randriambololona"
    ),
    "CN": _words(
        "Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo, "
        "He, Gao, Lin, Luo"
    ),
    "CI": _words(
        "Kouassi, Koné, Traoré, Coulibaly, Ouattara, Yao, N'Guessan, Kouamé, Bamba, Diabaté, "
        "Touré, Konaté, Aka, Brou, Gbagbo, Yapi, Assi, Tanoh, Ehui, Kacou"
    ),
    "PT": _words(
        "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Fernandes"
    ),
    "VN": _words("Nguyen, Tran, Le, Pham, Hoang, Phan, Vu, Dang, Bui, Do"),
    "DZ": _words(
        "Benali, Bouzid, Hamidi, Belkacem, Cherif, Haddad, Mansouri, Saidi, Meziane, Boudiaf"
    ),
}

# Learners living in France with a family name from elsewhere, as in any large city.
FOREIGN_ORIGINS_IN_FRANCE: tuple[str, ...] = _words("PT, VN, DZ, MA, LB, CI")

PROFESSIONS: tuple[tuple[str, str], ...] = (
    # Each profession with its sector of activity.
    ("Développeur informatique", "Informatique et numérique"),
    ("Technicien support informatique", "Informatique et numérique"),
    ("Administrateur systèmes et réseaux", "Informatique et numérique"),
    ("Chef de projet informatique", "Informatique et numérique"),
    ("Analyste de données", "Informatique et numérique"),
    ("Comptable", "Banque, finance et assurance"),
    ("Assistant de gestion", "Commerce et services"),
    ("Contrôleur de gestion", "Industrie"),
    ("Chargé de clientèle bancaire", "Banque, finance et assurance"),
    ("Conseiller en assurance", "Banque, finance et assurance"),
    ("Gestionnaire de paie", "Commerce et services"),
    ("Assistant ressources humaines", "Commerce et services"),
    ("Chargé de recrutement", "Commerce et services"),
    ("Technicien de maintenance", "Industrie"),
    ("Technicien qualité", "Industrie"),
    ("Dessinateur-projeteur", "Industrie"),
    ("Électronicien", "Industrie"),
    ("Automaticien", "Énergie"),
    ("Technicien de laboratoire", "Santé et pharmacie"),
    ("Préparateur en pharmacie", "Santé et pharmacie"),
    ("Infirmier", "Santé et pharmacie"),
    ("Technicien en radioprotection", "Énergie"),
    ("Agent immobilier", "Immobilier et construction"),
    ("Conducteur de travaux", "Immobilier et construction"),
    ("Gestionnaire de copropriété", "Immobilier et construction"),
    ("Logisticien", "Transport et logistique"),
    ("Agent de la fonction publique", "Administration publique"),
    ("Secrétaire administratif", "Administration publique"),
    ("Commercial", "Commerce et services"),
    ("Chargé de communication", "Commerce et services"),
    ("Graphiste", "Culture et médias"),
    ("Animateur 3D", "Culture et médias"),
    ("Formateur", "Enseignement et formation"),
    ("Conseiller en insertion professionnelle", "Enseignement et formation"),
    ("Responsable d'équipe", "Commerce et services"),
    ("Ingénieur d'études", "Industrie"),
    ("Sans emploi, en reconversion", ""),
)

COMPANY_STEMS: tuple[str, ...] = _words(
    "Alpha, Arcadie, Aster, Atlantide, Azur, Boréal, Cap, Cèdre, Cristal, Delta, Éole, "
    "Étoile, Gallia, Horizon, Hélios, Iris, Kairos, Lumen, Méridien, Mistral, Nova, Océan, "
    "Orion, Pégase, Phénix, Polaris, Quartz, Rivage, Saphir, Sextant, Sirius, Solaris, "
    "Thalès, Val, Vega, Zénith"
)

COMPANY_FORMS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "Informatique et numérique": ("{stem} Informatique", "{stem} Numérique", "{stem} Systèmes"),
    "Banque, finance et assurance": ("Banque {stem}", "{stem} Assurances", "{stem} Finance"),
    "Industrie": ("{stem} Industrie", "Ateliers {name}", "{stem} Mécanique"),
    "Énergie": ("{stem} Énergies", "{stem} Électricité"),
    "Santé et pharmacie": ("Laboratoires {name}", "Clinique {stem}", "{stem} Santé"),
    "Immobilier et construction": ("{stem} Immobilier", "Bâtiments {name}", "{stem} Habitat"),
    "Transport et logistique": ("Transports {name}", "{stem} Logistique"),
    "Administration publique": ("Mairie de {city}", "Communauté de communes du {stem}"),
    "Commerce et services": ("Maison {name}", "{stem} Services", "{stem} Distribution"),
    "Culture et médias": ("Studio {stem}", "Éditions {name}", "{stem} Médias"),
    "Enseignement et formation": ("{stem} Formation", "Institut {name}"),
}
# Sector names hold commas: listed one by one.
SECTORS: tuple[str, ...] = tuple(COMPANY_FORMS_BY_SECTOR)

COMPANY_LEGAL_FORMS: tuple[str, ...] = _words("SA, SAS, SARL, SAS, SA")

STREET_KINDS: tuple[str, ...] = _words(
    "rue, rue, rue, avenue, boulevard, place, allée, impasse, chemin"
)
STREET_NAMES: tuple[str, ...] = _words(
    "Victor-Hugo, de la République, Jean-Jaurès, Pasteur, du Général-de-Gaulle, "
    "de la Gare, des Lilas, Voltaire, Gambetta, de la Liberté, Émile-Zola, des Écoles, "
    "du Moulin, de Verdun, Jules-Ferry, de la Paix, Carnot, Foch, des Tilleuls, "
    "Saint-Martin, du Château, de Paris, Marie-Curie, Louis-Pasteur"
)
