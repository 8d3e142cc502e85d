import { MaturityRating } from "../../../gen/cinemesh/common/v1/enums_pb.js";
import { minimumAge } from "../../../platform/domain/maturity.js";
import type { ContentKind, SearchDocument } from "../index.js";

/**
 * A small catalog for the search contract suite: real titles chosen so each relevance rule has
 * something to show (accents, punctuation, "Title, The", sequels, one actor across titles, one
 * word in different fields), with popularity set so a wrong rule would show a wrong order.
 */

interface Entry {
  id: string;
  title: string;
  year: number;
  type?: ContentKind;
  rating: keyof typeof MaturityRating;
  language?: string;
  genres: string[];
  cast: string[];
  director?: string;
  popularity: number;
  viewCount?: number;
  averageRating?: number;
  originalTitle?: string;
  keywords?: string[];
  description?: string;
}

const ENTRIES: Entry[] = [
  { id: "matrix", title: "Matrix, The", year: 1999, rating: "R", genres: ["Action", "Sci-Fi"], cast: ["Keanu Reeves", "Carrie-Anne Moss", "Laurence Fishburne"], director: "Lana Wachowski", popularity: 85, keywords: ["simulation", "hacker"], description: "A hacker learns that the world he lives in is a simulation." },
  { id: "matrix-reloaded", title: "The Matrix Reloaded", year: 2003, rating: "R", genres: ["Action", "Sci-Fi"], cast: ["Keanu Reeves", "Carrie-Anne Moss"], director: "Lana Wachowski", popularity: 88 },
  { id: "matrix-revolutions", title: "The Matrix Revolutions", year: 2003, rating: "R", genres: ["Action", "Sci-Fi"], cast: ["Keanu Reeves", "Hugo Weaving"], director: "Lana Wachowski", popularity: 61 },
  { id: "leon", title: "Léon: The Professional", originalTitle: "Léon", year: 1994, rating: "R", language: "fr", genres: ["Action", "Crime", "Drama"], cast: ["Jean Reno", "Natalie Portman", "Gary Oldman"], director: "Luc Besson", popularity: 70 },
  { id: "amelie", title: "Amélie", originalTitle: "Le Fabuleux Destin d'Amélie Poulain", year: 2001, rating: "R", language: "fr", genres: ["Comedy", "Romance"], cast: ["Audrey Tautou", "Mathieu Kassovitz"], director: "Jean-Pierre Jeunet", popularity: 75, keywords: ["paris", "montmartre"], description: "A shy waitress decides to change the lives of those around her for the better." },
  { id: "paris-texas", title: "Paris, Texas", year: 1984, rating: "R", genres: ["Drama"], cast: ["Harry Dean Stanton", "Nastassja Kinski"], director: "Wim Wenders", popularity: 10 },
  { id: "ratatouille", title: "Ratatouille", year: 2007, rating: "G", genres: ["Animation", "Family", "Comedy"], cast: ["Patton Oswalt", "Lou Romano"], director: "Brad Bird", popularity: 86.5, description: "A rat who dreams of cooking in a Paris restaurant teams up with a young kitchen worker." },
  { id: "spider-man", title: "Spider-Man", year: 2002, rating: "PG_13", genres: ["Action", "Adventure"], cast: ["Tobey Maguire", "Kirsten Dunst", "Willem Dafoe"], director: "Sam Raimi", popularity: 65 },
  { id: "spider-man-2", title: "Spider-Man 2", year: 2004, rating: "PG_13", genres: ["Action", "Adventure"], cast: ["Tobey Maguire", "Alfred Molina"], director: "Sam Raimi", popularity: 62 },
  { id: "wall-e", title: "WALL·E", year: 2008, rating: "G", genres: ["Animation", "Family", "Sci-Fi"], cast: ["Ben Burtt", "Elissa Knight"], director: "Andrew Stanton", popularity: 72 },
  { id: "star-wars", title: "Star Wars", year: 1977, rating: "PG", genres: ["Adventure", "Sci-Fi"], cast: ["Mark Hamill", "Harrison Ford", "Carrie Fisher"], director: "George Lucas", popularity: 90 },
  { id: "empire", title: "Star Wars: The Empire Strikes Back", year: 1980, rating: "PG", genres: ["Adventure", "Sci-Fi"], cast: ["Mark Hamill", "Harrison Ford", "Carrie Fisher"], director: "Irvin Kershner", popularity: 92 },
  { id: "star-trek", title: "Star Trek", year: 2009, rating: "PG_13", genres: ["Action", "Sci-Fi"], cast: ["Chris Pine", "Zachary Quinto"], director: "J.J. Abrams", popularity: 55 },
  { id: "interstellar", title: "Interstellar", year: 2014, rating: "PG_13", genres: ["Drama", "Sci-Fi"], cast: ["Matthew McConaughey", "Anne Hathaway", "Jessica Chastain"], director: "Christopher Nolan", popularity: 89, viewCount: 5000, averageRating: 4.5, description: "Explorers travel through a wormhole in space to save humanity." },
  { id: "forrest-gump", title: "Forrest Gump", year: 1994, rating: "PG_13", genres: ["Drama", "Romance"], cast: ["Tom Hanks", "Robin Wright"], director: "Robert Zemeckis", popularity: 87 },
  { id: "cast-away", title: "Cast Away", year: 2000, rating: "PG_13", genres: ["Adventure", "Drama"], cast: ["Tom Hanks", "Helen Hunt"], director: "Robert Zemeckis", popularity: 58 },
  { id: "toy-story", title: "Toy Story", year: 1995, rating: "G", genres: ["Animation", "Family", "Comedy"], cast: ["Tom Hanks", "Tim Allen"], director: "John Lasseter", popularity: 80 },
  { id: "private-ryan", title: "Saving Private Ryan", year: 1998, rating: "R", genres: ["Drama", "War"], cast: ["Tom Hanks", "Matt Damon"], director: "Steven Spielberg", popularity: 78 },
  { id: "terminal", title: "The Terminal", year: 2004, rating: "PG_13", genres: ["Comedy", "Drama"], cast: ["Tom Hanks", "Catherine Zeta-Jones"], director: "Steven Spielberg", popularity: 45 },
  { id: "top-gun", title: "Top Gun", year: 1986, rating: "PG", genres: ["Action", "Drama"], cast: ["Tom Cruise", "Kelly McGillis", "Val Kilmer"], director: "Tony Scott", popularity: 66 },
  { id: "oceans-eleven", title: "Ocean's Eleven", year: 2001, rating: "PG_13", genres: ["Crime", "Thriller"], cast: ["George Clooney", "Brad Pitt", "Julia Roberts"], director: "Steven Soderbergh", popularity: 64 },
  { id: "rocky-2", title: "Rocky II", year: 1979, rating: "PG", genres: ["Drama", "Sport"], cast: ["Sylvester Stallone", "Talia Shire"], director: "Sylvester Stallone", popularity: 40, viewCount: 100, averageRating: 3.0 },
  { id: "rocky-3", title: "Rocky III", year: 1982, rating: "PG", genres: ["Drama", "Sport"], cast: ["Sylvester Stallone", "Mr. T"], director: "Sylvester Stallone", popularity: 40, viewCount: 100, averageRating: 3.5 },
  { id: "rocky-4", title: "Rocky IV", year: 1985, rating: "PG", genres: ["Drama", "Sport"], cast: ["Sylvester Stallone", "Dolph Lundgren"], director: "Sylvester Stallone", popularity: 40, viewCount: 300, averageRating: 2.5 },
  { id: "rocky-balboa", title: "Rocky Balboa", year: 2006, rating: "PG", genres: ["Drama", "Sport"], cast: ["Sylvester Stallone", "Burt Young"], director: "Sylvester Stallone", popularity: 50 },
  { id: "ford-v-ferrari", title: "Ford v Ferrari", year: 2019, rating: "PG_13", genres: ["Drama", "Sport"], cast: ["Matt Damon", "Christian Bale"], director: "James Mangold", popularity: 20 },
  { id: "searchers", title: "The Searchers", year: 1956, rating: "G", genres: ["Western"], cast: ["John Wayne", "Jeffrey Hunter"], director: "John Ford", popularity: 30 },
  { id: "gran-torino", title: "Gran Torino", year: 2008, rating: "R", genres: ["Drama"], cast: ["Clint Eastwood", "Bee Vang"], director: "Clint Eastwood", popularity: 68, description: "A retired auto worker guards his prized 1972 Ford from the gang next door." },
  { id: "berlin-calling", title: "Berlin Calling", year: 2008, rating: "R", language: "de", genres: ["Drama", "Music"], cast: ["Paul Kalkbrenner", "Rita Lengyel"], director: "Hannes Stöhr", popularity: 5 },
  { id: "wings-of-desire", title: "Wings of Desire", originalTitle: "Der Himmel über Berlin", year: 1987, rating: "PG_13", language: "de", genres: ["Drama", "Fantasy", "Romance"], cast: ["Bruno Ganz", "Solveig Dommartin"], director: "Wim Wenders", popularity: 41 },
  { id: "run-lola-run", title: "Run Lola Run", originalTitle: "Lola rennt", year: 1998, rating: "R", language: "de", genres: ["Thriller", "Crime"], cast: ["Franka Potente", "Moritz Bleibtreu"], director: "Tom Tykwer", popularity: 60, description: "Lola has twenty minutes to find the money that saves her boyfriend's life in Berlin." },
  { id: "high-school-musical", title: "High School Musical", year: 2006, rating: "G", genres: ["Comedy", "Family", "Musical"], cast: ["Zac Efron", "Vanessa Hudgens"], director: "Kenny Ortega", popularity: 15 },
  { id: "la-la-land", title: "La La Land", year: 2016, rating: "PG_13", genres: ["Musical", "Romance", "Drama"], cast: ["Ryan Gosling", "Emma Stone"], director: "Damien Chazelle", popularity: 81 },
  { id: "whiplash", title: "Whiplash", year: 2014, rating: "R", genres: ["Drama", "Music"], cast: ["Miles Teller", "J.K. Simmons"], director: "Damien Chazelle", popularity: 83, description: "A young drummer's musical ambition is pushed to the limit by a ruthless instructor." },
  { id: "once-blue-moon", title: "Once in a Blue Moon", year: 2019, rating: "PG", genres: ["Comedy", "Romance"], cast: ["Anna Hart", "Leo Brandt"], director: "Mia Lowe", popularity: 8 },
  { id: "moon-blue-sea", title: "The Moon and the Blue Sea", year: 2012, rating: "PG", genres: ["Drama"], cast: ["Sofia Lind", "Karl Moberg"], director: "Erik Strand", popularity: 71 },
  { id: "cafe-society", title: "Cafe Society", year: 2016, rating: "PG_13", genres: ["Comedy", "Romance"], cast: ["Jesse Eisenberg", "Kristen Stewart"], director: "Woody Allen", popularity: 35 },
  { id: "breaking-bad", title: "Breaking Bad", type: "TV_SHOW", year: 2008, rating: "TV_MA", genres: ["Crime", "Drama", "Thriller"], cast: ["Bryan Cranston", "Aaron Paul"], director: "Vince Gilligan", popularity: 95 },
  { id: "stranger-things", title: "Stranger Things", type: "TV_SHOW", year: 2016, rating: "TV_14", genres: ["Drama", "Horror", "Sci-Fi"], cast: ["Millie Bobby Brown", "Winona Ryder", "David Harbour"], director: "The Duffer Brothers", popularity: 91 },
  { id: "bluey", title: "Bluey", type: "TV_SHOW", year: 2018, rating: "TV_Y", genres: ["Animation", "Family", "Kids"], cast: ["Dave McCormack", "Melanie Zanetti"], director: "Joe Brumm", popularity: 77 },
  { id: "dark", title: "Dark", type: "TV_SHOW", year: 2017, rating: "TV_MA", language: "de", genres: ["Crime", "Drama", "Mystery", "Sci-Fi"], cast: ["Louis Hofmann", "Lisa Vicari"], director: "Baran bo Odar", popularity: 73 },
  { id: "money-heist", title: "Money Heist", originalTitle: "La casa de papel", type: "TV_SHOW", year: 2017, rating: "TV_MA", language: "es", genres: ["Action", "Crime", "Thriller"], cast: ["Úrsula Corberó", "Álvaro Morte"], director: "Álex Pina", popularity: 86 },
  { id: "the-office", title: "The Office", type: "TV_SHOW", year: 2005, rating: "TV_14", genres: ["Comedy"], cast: ["Steve Carell", "Rainn Wilson", "John Krasinski"], director: "Greg Daniels", popularity: 84 },
  { id: "peppa-pig", title: "Peppa Pig", type: "TV_SHOW", year: 2004, rating: "TV_Y", genres: ["Animation", "Kids"], cast: ["Harley Bird", "John Sparkes"], director: "Neville Astley", popularity: 52 },
];

/** The entry as the index receives it (version 1). */
function toDocument(e: Entry): SearchDocument {
  return {
    contentId: e.id,
    version: 1,
    title: e.title,
    originalTitle: e.originalTitle ?? "",
    cast: e.cast,
    director: e.director ?? "",
    genres: e.genres,
    keywords: e.keywords ?? [],
    description: e.description ?? "",
    type: e.type ?? "MOVIE",
    rating: e.rating,
    minAge: minimumAge(MaturityRating[e.rating]),
    releaseYear: e.year,
    language: e.language ?? "en",
    thumbnailUrl: `https://img.example/${e.id}.jpg`,
    popularity: e.popularity,
    viewCount: e.viewCount ?? 1000,
    averageRating: e.averageRating ?? 4,
    ratingCount: 100,
  };
}

export const CATALOG: readonly SearchDocument[] = ENTRIES.map(toDocument);

export function fixture(id: string): SearchDocument {
  const doc = CATALOG.find((d) => d.contentId === id);
  if (!doc) throw new Error(`no fixture title ${id}`);
  return doc;
}

/** A made-up title for write tests: override what the test is about. */
export function newTitle(contentId: string, overrides: Partial<SearchDocument> = {}): SearchDocument {
  return { ...fixture("interstellar"), contentId, title: `Heat ${contentId}`, cast: [], director: "", keywords: [], description: "", version: 1, ...overrides };
}
