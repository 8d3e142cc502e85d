/** The words and names generated catalogs are made of (generate.ts). Data only. */

export const ADJECTIVES = [
  "Silent", "Broken", "Hidden", "Golden", "Crimson", "Endless", "Frozen", "Wild", "Last", "Lost", "Burning", "Distant",
  "Hollow", "Midnight", "Scarlet", "Savage", "Gentle", "Electric", "Fading", "Restless", "Secret", "Shattered", "Velvet",
  "Iron", "Silver", "Painted", "Wandering", "Quiet", "Bitter", "Sweet", "Dark", "Bright", "Northern", "Southern", "Eternal",
  "Forgotten", "Invisible", "Reckless", "Sleepless", "Perfect", "Dangerous", "Little", "Great", "Crooked", "Radiant",
  "Lonely", "Final", "Second", "Strange", "Curious", "Brave", "Stolen", "Sacred", "Wicked", "Cold", "Hungry", "Fearless",
  "Emerald", "Obsidian", "Paper", "Glass", "Neon", "Atomic", "Lucky", "Crystal", "Desert", "Ocean", "Winter", "Summer",
];

export const NOUNS = [
  "Harbor", "Kingdom", "Garden", "River", "Empire", "Mirror", "Shadow", "Storm", "Horizon", "Lantern", "Orchard", "Voyage",
  "Echo", "Signal", "Frontier", "Cathedral", "Carnival", "Circus", "Island", "Machine", "Letter", "Promise", "Secret",
  "Winter", "Summer", "Tide", "Crown", "Dragon", "Falcon", "Wolf", "Tiger", "Raven", "Serpent", "Phoenix", "Comet",
  "Planet", "Station", "Protocol", "Code", "Cipher", "Heist", "Bargain", "Verdict", "Witness", "Alibi", "Ghost", "Spirit",
  "Angel", "Stranger", "Outlaw", "Sheriff", "Detective", "Doctor", "Teacher", "Soldier", "Pilot", "Sailor", "Dancer",
  "Painter", "Poet", "Thief", "Hunter", "Queen", "King", "Prince", "Daughter", "Son", "Brother", "Sister", "Mother",
  "Father", "Bridge", "Tower", "Castle", "Forest", "Mountain", "Valley", "Desert", "Ocean", "Moon", "Sun", "Star", "Sky",
  "Road", "Train", "Highway", "Motel", "Diner", "Hotel", "Theater", "Symphony", "Melody", "Requiem", "Ballad", "Waltz",
  "Labyrinth", "Paradox", "Equation", "Experiment", "Frequency", "Orbit", "Nebula", "Galaxy", "Asteroid", "Volcano",
  "Avalanche", "Eclipse", "Monsoon", "Blizzard", "Wildfire", "Lighthouse", "Compass", "Map", "Anchor", "Key", "Door",
  "Window", "Clock", "Rose", "Lily", "Orchid", "Bloom", "Harvest", "Feast", "Banquet", "Wedding", "Funeral", "Reunion",
];

export const PLACES = [
  "Montréal", "São Paulo", "Zürich", "Kraków", "Reykjavík", "Málaga", "Córdoba", "Besançon", "Köln", "Tromsø", "Île-de-France",
  "Bogotá", "Medellín", "Curaçao", "Genève", "Nîmes", "Århus", "Düsseldorf", "Brasília", "Mérida", "Venice", "Tokyo", "Cairo",
  "Lisbon", "Havana", "Marrakesh", "Istanbul", "Vienna", "Prague", "Budapest", "Dublin", "Edinburgh", "Nairobi", "Lagos",
  "Mumbai", "Kyoto", "Seoul", "Shanghai", "Sydney", "Auckland", "Alaska", "Texas", "Brooklyn", "Harlem", "Chicago", "Memphis",
  "New Orleans", "Tijuana", "Patagonia", "Siberia", "Tangier", "Oslo", "Helsinki", "Napoli", "Sevilla", "Cádiz",
];

/** One-word titles Amélie-like: given names, accents kept. */
export const NAME_TITLES = [
  "Amélie", "Léon", "Chloé", "Zoé", "Renée", "Inès", "Noémie", "Hélène", "Raphaël", "Joaquín", "Sofía", "Björn", "Søren",
  "Anaïs", "Loïc", "Maëlle", "Begoña", "Íñigo", "Ximena", "Andrés", "Matías", "Jürgen", "Ludmila", "Radek", "Agnès", "Gaëtan",
  "Mireille", "Céleste", "Océane", "Élodie", "Honoré", "Cosette", "Dolorès", "Ramón", "Lucía", "Paulína", "Ångström",
];

export const FIRST_NAMES = [
  "Tom", "Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas", "Sophia", "Ethan", "Isabella", "Henry", "Grace",
  "Zoë", "Renée", "José", "Françoise", "Søren", "Björn", "Penélope", "Jiří", "Małgorzata", "Chloé", "Mélanie", "Gaël",
  "Noémie", "Ángel", "Thérèse", "Andrés", "Joaquín", "Inés", "Léa", "Raphaël", "Zoltán", "Ðorđe", "Håkon", "Åsa", "Ülle",
  "Kenji", "Yuki", "Hana", "Min-jun", "Ji-woo", "Priya", "Arjun", "Aisha", "Omar", "Fatima", "Kwame", "Amara", "Chen",
  "Wei", "Mei", "Nikolai", "Anastasia", "Dmitri", "Ingrid", "Astrid", "Lars", "Giulia", "Marco", "Francesca", "Luca",
  "Carmen", "Pilar", "Diego", "Valentina", "Mateo", "Camila", "Hugo", "Élise", "Benoît", "Agnieszka", "Tomasz", "Saoirse",
  "Siobhán", "Niamh", "Oisín", "Tilda", "Rupert", "Meryl", "Denzel", "Cate", "Javier", "Marion", "Mads", "Toshiro",
];

export const LAST_NAMES = [
  "Hanks", "García", "Núñez", "Müller", "Dvořák", "Kowalski", "Łukaszewicz", "Nowak", "Dubois", "Lefèvre", "Rodríguez",
  "Fernández", "López", "Martín", "Pérez", "Sánchez", "Gómez", "Jiménez", "Müller-Schmidt", "Schäfer", "Köhler", "Weiß",
  "Østergaard", "Sørensen", "Ångström", "Lindqvist", "Johansson", "Nyström", "Kovačević", "Petrović", "Horváth", "Szabó",
  "Yılmaz", "Öztürk", "Çelik", "Tanaka", "Suzuki", "Watanabe", "Kim", "Park", "Lee", "Choi", "Sharma", "Patel", "Khan",
  "Okafor", "Mensah", "Diallo", "Nguyễn", "Trần", "Wang", "Zhang", "Liu", "Ivanov", "Smirnova", "Volkov", "Rossi", "Bianchi",
  "Esposito", "Romano", "Costa", "Silva", "Santos", "Oliveira", "Ferreira", "Smith", "Johnson", "Williams", "Brown", "Jones",
  "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis",
  "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
  "O'Brien", "O'Connor", "McAllister", "MacDonald", "D'Angelo", "de la Cruz", "van der Berg", "von Trier", "St. James",
];

export const CREATURES = ["Spider", "Bat", "Ant", "Moth", "Wolf", "Hawk", "Iron", "Shadow", "Star", "Sand", "Frost", "Night", "Fire", "Storm"];
export const BEINGS = ["Man", "Woman", "Girl", "Boy", "Kid", "Knight", "Queen", "King", "Born", "Walker", "Runner"];

/** WALL·E-like names: capitals, then an interpunct or a hyphen and a short tag. */
export const ROBOT_STEMS = ["WALL", "NOVA", "ECHO", "ORBI", "ZETA", "KILO", "LUMI", "VEGA", "ATLAS", "PIXL", "MOTO", "ROVA"];

export const SEQUEL_MARKS = ["2", "II", "III", "Part II", "Part III", "Returns", "Reloaded", "Revenge", "Resurrection", "Forever"];

export const NUMBER_WORDS = ["Two", "Three", "Four", "Seven", "Nine", "Twelve", "Thirteen", "Forty", "Hundred", "Thousand"];

export const GENRES = [
  "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film Noir", "Horror", "Kids",
  "Musical", "Mystery", "Romance", "Science Fiction", "Thriller", "War", "Western",
];

export const KEYWORDS = [
  "time travel", "heist", "coming of age", "road trip", "revenge", "based on a true story", "dystopia", "artificial intelligence",
  "haunted house", "small town", "serial killer", "courtroom", "space station", "underdog", "friendship", "first love",
  "family secrets", "survival", "conspiracy", "undercover", "martial arts", "post-apocalyptic", "magic", "dragons",
  "vampires", "zombies", "aliens", "robots", "pirates", "cowboys", "world war ii", "cold war", "boxing", "football",
  "music band", "cooking", "fashion", "journalism", "politics", "religion", "nature", "wildlife", "ocean", "mountains",
  "snow", "desert", "jungle", "new york city", "paris", "tokyo", "london", "nonlinear timeline", "twist ending",
  "dark comedy", "satire", "slow burn", "feel-good", "tearjerker", "cult classic", "based on novel", "remake", "biography",
];

export const LANGUAGES: ReadonlyArray<readonly [string, number]> = [
  ["en", 60], ["fr", 8], ["es", 7], ["de", 5], ["it", 4], ["ja", 5], ["ko", 4], ["sv", 2], ["pt", 2], ["hi", 2], ["da", 1],
];

/** Original-language titles: a noun with its own article and an adjective, or whole phrases for other scripts. */
export const ORIGINAL_TITLE_WORDS: Record<string, { nouns: string[]; adjectives: string[] } | { phrases: string[] }> = {
  fr: { nouns: ["La Forêt", "Le Château", "L'Été", "Le Rêve", "La Fenêtre", "La Mémoire", "La Fête", "L'Île", "Le Cœur", "La Nuit", "Les Étoiles", "L'Hôtel"], adjectives: ["fabuleux", "éternel", "perdu", "étrange", "doré", "fragile", "d'hiver", "de Noël", "sans fin"] },
  es: { nouns: ["El Corazón", "El Camión", "El Jardín", "La Mañana", "La Canción", "La Pasión", "El León", "El Río", "La Montaña", "El Niño", "Los Años"], adjectives: ["de oro", "del sur", "sin nombre", "de invierno", "de la noche", "del mar"] },
  de: { nouns: ["Die Brücke", "Das Mädchen", "Die Straße", "Das Märchen", "Der Wald", "Der Himmel", "Die Stadt", "Der Schlüssel", "Der Spiegel", "Der Träumer"], adjectives: ["über Berlin", "im Winter", "aus Glas", "der Nacht", "ohne Namen", "am Meer"] },
  it: { nouns: ["La Città", "La Verità", "Il Giardino", "La Notte", "Il Cuore", "Il Sogno", "Il Viaggio", "La Libertà", "L'Estate", "Il Mare", "Gli Amici"], adjectives: ["di vetro", "d'estate", "senza fine", "del sud", "di Napoli", "della notte"] },
  pt: { nouns: ["O Coração", "A Canção", "A Saudade", "A Estação", "A Ilusão", "O Irmão", "A Mãe", "O Verão", "O Sertão", "O Mar"], adjectives: ["de ouro", "do sul", "sem nome", "de inverno", "da noite", "do Brasil"] },
  sv: { nouns: ["Sommaren", "Skärgården", "Fjärilen", "Flickan", "Pojken", "Ön", "Natten", "Skogen", "Kvällen"], adjectives: ["med Monika", "i Stockholm", "utan slut", "på landet", "vid havet"] },
  ja: { phrases: ["夜の港", "静かな森", "最後の約束", "風の谷", "七つの鍵", "東京の空", "赤い月", "夏の終わり", "千の夢", "鏡の国"] },
  ko: { phrases: ["밤의 항구", "마지막 약속", "서울의 봄", "푸른 바다", "비밀의 정원", "붉은 달", "겨울 왕국", "잃어버린 시간"] },
  hi: { phrases: ["दिल की बात", "आख़िरी वादा", "सपनों का शहर", "रात का सफ़र", "मेरा घर", "नया सवेरा"] },
  da: { nouns: ["Søen", "Fyrtårnet", "Drømmen", "Sommeren", "Skoven", "Natten", "Pigen", "Drengen"], adjectives: ["i København", "uden ende", "ved havet", "om vinteren"] },
};

export const EPISODE_TITLES = ["Pilot", "Part One", "Part Two", "The Return", "Homecoming", "Crossroads", "Aftermath", "Fault Lines", "Old Friends", "New Blood", "The Long Night", "Endgame", "First Light", "Turning Point", "Reckoning", "Ghosts", "Blood Ties", "Smoke and Mirrors"];

export const ROLES = ["detective", "teacher", "thief", "pilot", "widow", "runaway", "chef", "boxer", "journalist", "scientist", "farmer", "musician", "nun", "hacker", "sheriff", "princess", "orphan", "surgeon"];
export const GOALS = ["uncover a conspiracy", "save a failing bakery", "find a missing sister", "win one last fight", "escape a flooded city", "clear a stolen name", "repair a broken family", "survive a winter alone", "outwit a rival gang", "finish a forgotten symphony", "protect a strange child", "cross a hostile border"];
export const DEADLINES = ["the storm arrives", "the wedding", "dawn", "the election", "the last train leaves", "the festival ends", "the money runs out", "the truth gets out", "winter comes", "the comet passes"];
